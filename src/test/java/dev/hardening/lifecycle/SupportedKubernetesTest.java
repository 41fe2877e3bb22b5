package dev.hardening.lifecycle;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** An API server older than the oldest supported Kubernetes is named at start; a supported one is not. */
@EnableKubernetesMockClient
class SupportedKubernetesTest {

    KubernetesMockServer server;
    KubernetesClient client;

    /** What the mock API server answers on /version. */
    private void serverIs(String minor, String gitVersion) {
        server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor(minor).withGitVersion(gitVersion).build());
    }

    @Test
    void anOlderApiServerIsNamedWithTheOldestSupportedVersion() {
        serverIs("31+", "v1.31.4-gke.1000");

        assertThat(SupportedKubernetes.warning(client)).contains("Kubernetes v1.31.4-gke.1000 is older than the oldest "
                + "supported version, 1.32: the operator runs, but nothing is tested on it "
                + "(docs/install.md, \"Supported Kubernetes versions\")");
    }

    /** docs/install.md shows the line as the operator writes it. */
    @Test
    void theDocumentedWarningIsTheOneLogged() throws IOException {
        String install = Files.readString(Path.of("docs/install.md")).replaceAll("\\s+", " ");

        assertThat(install).contains("`" + SupportedKubernetes.warning("1", "31", "v1.31.4").orElseThrow() + "`");
    }

    @Test
    void theOldestSupportedVersionAndNewerOnesAreNotNamed() {
        serverIs("32", "v1.32.13");
        assertThat(SupportedKubernetes.warning(client)).isEmpty();
        serverIs("35", "v1.35.0");
        assertThat(SupportedKubernetes.warning(client)).isEmpty();
    }

    @Test
    void aVersionThatCannotBeReadIsNotJudged() {
        assertThat(SupportedKubernetes.warning("1", "", "v1.x")).isEmpty();
        assertThat(SupportedKubernetes.warning(null, null, null)).isEmpty();
    }
}

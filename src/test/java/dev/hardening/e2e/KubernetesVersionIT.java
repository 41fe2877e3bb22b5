package dev.hardening.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run is against the Kubernetes it was asked for: the default one (hack/tools/k8s), or, in the failsafe execution
 * oldest-kubernetes, the oldest supported one. Without this a tagged test could pass against the wrong server and
 * prove nothing about the oldest version.
 */
@OldestKubernetes
class KubernetesVersionIT {

    @Test
    void theApiServerAndTheControllersAreTheRequestedVersion() throws IOException {
        ControlPlane cluster = ControlPlane.shared();
        String expected = K8sTools.requestedVersion().orElseGet(KubernetesVersionIT::defaultVersion);

        JsonNode version = new ObjectMapper().readTree(cluster.kubectl().ok("get", "--raw", "/version"));

        assertThat(version.path("gitVersion").asText()).isEqualTo(expected);
        Kubectl.Result controllers = Kubectl.exec(List.of(cluster.tools().kubeControllerManager().toString(),
                "--version"), "", Map.of());
        assertThat(controllers.stdoutLines()).as(controllers.describe()).containsExactly("Kubernetes " + expected);
    }

    /** The k8s.io/kubernetes version hack/tools/k8s/go.mod requires. */
    static String defaultVersion() {
        try {
            Matcher m = Pattern.compile("(?m)^(?:require)?\\s*k8s\\.io/kubernetes (v\\S+)")
                    .matcher(Files.readString(Project.root().resolve("hack/tools/k8s/go.mod")));
            assertThat(m.find()).as("k8s.io/kubernetes in hack/tools/k8s/go.mod").isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

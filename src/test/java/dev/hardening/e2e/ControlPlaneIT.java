package dev.hardening.e2e;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness itself: a real API server answers the real kubectl, and the garbage collector runs. */
class ControlPlaneIT {

    private final ControlPlane cluster = ControlPlane.shared();
    private final Kubectl kubectl = cluster.kubectl();

    @Test
    void kubectlListsTheBuiltInNamespaces() {
        // named explicitly: other tests add namespaces, which would widen the NAME column
        Kubectl.Result result = kubectl.run("get", "namespaces", "default", "kube-system", "kube-public",
                "-o", "custom-columns=NAME:.metadata.name,STATUS:.status.phase");

        assertThat(result.stdoutLines()).as(result.describe())
                .containsExactly("NAME          STATUS", "default       Active", "kube-system   Active", "kube-public   Active");
    }

    @Test
    void theAdminIsClusterAdmin() {
        Kubectl.Result result = kubectl.run("auth", "can-i", "create", "validatingwebhookconfigurations");

        assertThat(result.stdoutLines()).as(result.describe()).containsExactly("yes");
    }

    @Test
    void aNamespaceIsCreatedAndDeletedToTheEnd() {
        assertThat(kubectl.run("create", "namespace", "e2e-sanity").stdoutLines()).containsExactly("namespace/e2e-sanity created");

        assertThat(kubectl.run("delete", "namespace", "e2e-sanity", "--wait=true", "--timeout=120s").stdoutLines())
                .containsExactly("namespace \"e2e-sanity\" deleted");
        Kubectl.Result gone = kubectl.run("get", "namespace", "e2e-sanity");
        assertThat(gone.stderrLines()).as(gone.describe())
                .containsExactly("Error from server (NotFound): namespaces \"e2e-sanity\" not found");
    }
}

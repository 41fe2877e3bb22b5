package dev.hardening.e2e;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness itself: a real API server answers the real kubectl, and the controllers of a real cluster run, each
 * under its own identity.
 */
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

    @Test
    void aDeploymentBecomesAReplicaSetAndPendingPodsEachCreatedByItsOwnControllersIdentity() {
        String ns = "e2e-controllers";
        kubectl.ok("create", "namespace", ns);

        kubectl.ok("create", "deployment", "web", "-n", ns, "--image=registry.example.com/web:1.0", "--replicas=2");

        Awaitility.await("2 Pending Pods of Deployment web").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                .until(() -> kubectl.ok("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={.items[*].status.phase}"),
                        phases -> phases.equals("Pending Pending"));
        assertThat(kubectl.ok("get", "replicasets", "-n", ns, "-o",
                "jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.status.replicas}{end}"))
                .isEqualTo("Deployment/web 2");
        Awaitility.await("the audit log of the Pod creates").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> cluster.creators("pods", ns).size() == 2);
        assertThat(cluster.creators("deployments", ns)).containsExactly("e2e-admin");
        assertThat(cluster.creators("replicasets", ns)).containsExactly("system:serviceaccount:kube-system:deployment-controller");
        assertThat(cluster.creators("pods", ns))
                .containsExactlyElementsOf(Collections.nCopies(2, "system:serviceaccount:kube-system:replicaset-controller"));
    }
}

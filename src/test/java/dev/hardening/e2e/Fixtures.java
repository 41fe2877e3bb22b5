package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;

import java.nio.file.Path;
import java.time.Duration;

/** What the end-to-end tests set up through kubectl: the CRD, namespaces, manifests as files, policy readiness. */
final class Fixtures {

    private final Kubectl kubectl;
    private final Path dir;

    Fixtures(Kubectl kubectl, Path dir) {
        this.kubectl = kubectl;
        this.dir = dir;
    }

    /** Installs (or re-applies) the committed CRD and waits until the API server serves it. */
    void installCrd() {
        Path crd = Pieces.crd();
        kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", crd.toString());
        kubectl.ok("wait", "--for=condition=Established", "crd/hardeningpolicies.hardening.dev", "--timeout=60s");
    }

    void namespace(String name, String... labels) {
        String yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n";
        Kubectl.Result result = kubectl.runWithInput(yaml, "apply", "-f", "-");
        if (result.exitCode() != 0) {
            throw new AssertionError(result.describe());
        }
    }

    /** {@code kubectl apply} of {@code yaml}; fails the test with what kubectl said unless it succeeds. */
    void apply(String yaml) {
        Kubectl.Result result = kubectl.runWithInput(yaml, "apply", "-f", "-");
        if (result.exitCode() != 0) {
            throw new AssertionError(result.describe());
        }
    }

    /**
     * The API server picks up a new ValidatingWebhookConfiguration asynchronously: waits until it calls the webhook,
     * i.e. until a plain Pod is denied in {@code enforcedNamespace} (server dry run, nothing is stored).
     */
    void awaitWebhookDenies(String enforcedNamespace) {
        String probe = Manifests.pod(enforcedNamespace, "probe", Manifests.plainPodSpec("Always", "nginx:1.25"));
        Awaitility.await("the API server calls the webhook").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.runWithInput(probe, "create", "--dry-run=server", "-f", "-").stderr()
                        .contains("admission webhook \"validate.hardening.dev\" denied the request: "));
    }

    /** Writes {@code yaml} to {@code <dir>/<file>} so that kubectl names the file in its messages, as for a user. */
    Path manifest(String file, String yaml) {
        Path path = dir.resolve(file);
        ControlPlane.write(path, yaml);
        return path;
    }

    /** Waits until the operator has reconciled the policy's current generation and says Ready=True. */
    void awaitPolicyReady(String namespace, String name) {
        Awaitility.await("HardeningPolicy " + namespace + "/" + name + " Ready for its current generation")
                .atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                .until(() -> kubectl.run("get", "hardeningpolicy", name, "-n", namespace, "-o",
                                "jsonpath={.metadata.generation}/{.status.observedGeneration}/{.status.conditions[?(@.type==\"Ready\")].status}")
                        .stdout(), Fixtures::readyForGeneration);
    }

    /**
     * Waits until the operator's leader has created (or created again) the cluster-default policy in the operator's
     * namespace as the chart's default values say: Hardened, Warn, labelled as the operator's, owned by its ClusterRole.
     */
    void awaitClusterDefaultPolicy(String operatorNamespace) {
        Awaitility.await("the cluster-default policy kept by the operator").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> kubectl.run("get", "hp", "cluster-default", "-n", operatorNamespace, "-o",
                        "jsonpath={.spec.profile}/{.spec.mode}/{.metadata.labels.app\\.kubernetes\\.io/managed-by}/"
                                + "{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}").stdout(),
                        "Hardened/Warn/hardening-operator/ClusterRole/hardening-operator"::equals);
    }

    private static boolean readyForGeneration(String generationObservedReady) {
        String[] parts = generationObservedReady.split("/", -1);
        return parts.length == 3 && !parts[0].isEmpty() && parts[0].equals(parts[1]) && parts[2].equals("True");
    }

    static String policy(String namespace, String name, String profile, String mode) {
        return """
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  profile: %s
                  mode: %s
                """.formatted(name, namespace, profile, mode);
    }

    /** The ServiceAccount {@code team-admin} bound to the built-in {@code admin} ClusterRole in {@code namespace} alone. */
    static String namespaceAdmin(String namespace) {
        return """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: team-admin, namespace: %1$s}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: team-admin, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
                subjects: [{kind: ServiceAccount, name: team-admin, namespace: %1$s}]
                """.formatted(namespace);
    }
}

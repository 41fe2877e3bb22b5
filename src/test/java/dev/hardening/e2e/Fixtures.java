package dev.hardening.e2e;

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

    /** {@code kubectl apply -f -}; fails the test with kubectl's output unless it succeeds. */
    void apply(String yaml) {
        Kubectl.Result result = kubectl.runWithInput(yaml, "apply", "-f", "-");
        if (result.exitCode() != 0) {
            throw new AssertionError(result.describe());
        }
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
}

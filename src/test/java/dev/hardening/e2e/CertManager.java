package dev.hardening.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * cert-manager as an admin runs it, against the test API server: its CRDs applied from the Go module
 * github.com/cert-manager/cert-manager (hack/cert-manager-crds.sh), its controller and cainjector built from that
 * module by {@code hack/ensure-k8s-tools.sh cert-manager-controller cert-manager-cainjector} (on first use; at once
 * when cached) and run with the admin's kubeconfig. No cert-manager webhook: nothing here needs its defaulting or
 * validation (it would refuse the short certificate lifetimes the tests use).
 */
final class CertManager implements AutoCloseable {

    /** Where the controller keeps the Secrets of ClusterIssuers, as upstream's chart does. */
    static final String NAMESPACE = "cert-manager";
    static final List<String> CRDS = List.of("certificates.cert-manager.io", "certificaterequests.cert-manager.io",
            "issuers.cert-manager.io", "clusterissuers.cert-manager.io", "orders.acme.cert-manager.io",
            "challenges.acme.cert-manager.io");

    private final LoggedProcess controller;
    private final LoggedProcess cainjector;

    private CertManager(LoggedProcess controller, LoggedProcess cainjector) {
        this.controller = controller;
        this.cainjector = cainjector;
    }

    static CertManager start(ControlPlane cluster, Path dir) {
        Map<String, Path> binaries = binaries();
        Kubectl kubectl = cluster.kubectl();
        installCrds(kubectl);
        kubectl.runWithInput("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + NAMESPACE + "\n", "apply", "-f", "-");
        String kubeconfig = "--kubeconfig=" + cluster.kubeconfig();
        LoggedProcess controller = LoggedProcess.start("cert-manager-controller", List.of(
                binaries.get("cert-manager-controller").toString(), kubeconfig,
                "--cluster-resource-namespace=" + NAMESPACE, "-v=2"), Map.of(), dir.resolve("cert-manager-controller.log"));
        LoggedProcess cainjector = LoggedProcess.start("cert-manager-cainjector", List.of(
                binaries.get("cert-manager-cainjector").toString(), kubeconfig, "-v=2"), Map.of(),
                dir.resolve("cert-manager-cainjector.log"));
        return new CertManager(controller, cainjector);
    }

    /** Fails with the end of its log when either process has exited. */
    void assertAlive() {
        controller.assertAlive();
        cainjector.assertAlive();
    }

    @Override
    public void close() {
        controller.close();
        cainjector.close();
    }

    private static void installCrds(Kubectl kubectl) {
        Kubectl.Result found = Kubectl.exec(List.of("bash", "hack/cert-manager-crds.sh"), null, Map.of());
        if (found.exitCode() != 0) {
            throw new AssertionError("cert-manager's CRDs cannot be fetched: " + found.describe());
        }
        List<String> lines = found.stdoutLines();
        Path dir = Path.of(lines.get(lines.size() - 1));
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f ->
                    kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", f.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String crd : CRDS) {
            kubectl.ok("wait", "--for=condition=Established", "crd/" + crd, "--timeout=60s");
        }
    }

    /**
     * {@code hack/ensure-k8s-tools.sh cert-manager-controller cert-manager-cainjector}: built on first use (minutes,
     * with no deadline here: a fresh machine must get there), at once when cached. Its progress goes to the test's log.
     */
    private static Map<String, Path> binaries() {
        try {
            Process process = new ProcessBuilder("hack/ensure-k8s-tools.sh", "cert-manager-controller", "cert-manager-cainjector")
                    .directory(Project.root().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new AssertionError("hack/ensure-k8s-tools.sh cert-manager-controller cert-manager-cainjector failed"
                        + " (exit code " + process.exitValue() + "; its messages are above)");
            }
            Map<String, Path> paths = new HashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    paths.put(line.substring(0, eq), Path.of(line.substring(eq + 1)));
                }
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

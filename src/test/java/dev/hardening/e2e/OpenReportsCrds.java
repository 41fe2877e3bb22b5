package dev.hardening.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The OpenReports CRDs from their Go module (hack/openreports-crds.sh: github.com/openreports/reports-api at the
 * version of hack/tools/openreports/go.mod, through the Go module proxy), installed into or removed from the test API
 * server. Never a copy kept by hand.
 */
final class OpenReportsCrds {

    static final List<String> FILES = List.of("openreports.io_reports.yaml", "openreports.io_clusterreports.yaml");
    static final List<String> NAMES = List.of("reports.openreports.io", "clusterreports.openreports.io");

    private OpenReportsCrds() {
    }

    static Path directory() {
        Kubectl.Result result = Kubectl.exec(List.of("bash", "hack/openreports-crds.sh"), null, Map.of());
        if (result.exitCode() != 0) {
            throw new AssertionError("the OpenReports CRDs cannot be fetched: " + result.describe());
        }
        List<String> lines = result.stdoutLines();
        return Path.of(lines.get(lines.size() - 1));
    }

    static void install(Kubectl kubectl) {
        Path dir = directory();
        for (String file : FILES) {
            kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", dir.resolve(file).toString());
        }
        for (String name : NAMES) {
            kubectl.ok("wait", "--for=condition=Established", "crd/" + name, "--timeout=60s");
        }
    }

    /** Deletes both CRDs (and so every report) and waits until they are gone. */
    static void uninstall(Kubectl kubectl) {
        kubectl.ok("delete", "crd", NAMES.get(0), NAMES.get(1), "--ignore-not-found", "--wait=true", "--timeout=60s");
    }
}

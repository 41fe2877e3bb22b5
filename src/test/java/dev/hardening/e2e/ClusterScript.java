package dev.hardening.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code hack/cluster.sh}, the one launcher the scripts and this harness share: the control plane's flags, the
 * controller list and the replicas' network namespaces are written there once, so they cannot drift.
 */
final class ClusterScript {

    private ClusterScript() {
    }

    /** Runs {@code hack/cluster.sh args...} and returns its stdout lines; fails with its stderr when it fails. */
    static List<String> run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Project.root().resolve("hack/cluster.sh").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(Project.root().toFile()).start();
            process.getOutputStream().close();
            // stderr is small (log lines); read it after stdout, both to the end
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("hack/cluster.sh " + String.join(" ", args) + " failed:\n" + err);
            }
            return out.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

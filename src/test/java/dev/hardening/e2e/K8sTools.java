package dev.hardening.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Kubernetes binaries are. {@code ./mvnw verify} runs {@code hack/ensure-k8s-tools.sh} before failsafe
 * and passes its output file as {@code hardening.k8s.tools}; a test started from an IDE runs the script itself
 * (instant once the binaries are cached). {@code K8S_BIN_DIR} overrides both.
 */
public record K8sTools(Map<String, Path> paths) {

    static final List<String> NAMES = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl", "helm",
            "promtool");

    public Path etcd() {
        return get("etcd");
    }

    public Path kubeApiserver() {
        return get("kube-apiserver");
    }

    public Path kubeControllerManager() {
        return get("kube-controller-manager");
    }

    public Path kubectl() {
        return get("kubectl");
    }

    /** Prometheus' promtool, for {@code promtool check rules} on the chart's alerts. */
    public Path promtool() {
        return get("promtool");
    }

    public Path helm() {
        return get("helm");
    }

    private Path get(String name) {
        Path path = paths.get(name);
        if (path == null || !Files.isExecutable(path)) {
            throw new IllegalStateException("no executable " + name + " (" + path + "); run hack/ensure-k8s-tools.sh");
        }
        return path;
    }

    public static K8sTools locate() {
        String binDir = System.getenv("K8S_BIN_DIR");
        if (binDir != null && !binDir.isBlank()) {
            Map<String, Path> paths = new HashMap<>();
            NAMES.forEach(n -> paths.put(n, Path.of(binDir, n).toAbsolutePath()));
            return new K8sTools(paths);
        }
        Optional<Path> file = Optional.ofNullable(System.getProperty("hardening.k8s.tools")).map(Path::of).filter(Files::isRegularFile);
        try {
            String lines = file.isPresent()
                    ? Files.readString(file.get(), StandardCharsets.UTF_8)
                    : runEnsureScript();
            return parse(lines);
        } catch (IOException e) {
            throw new IllegalStateException("cannot locate the Kubernetes binaries: " + e.getMessage(), e);
        }
    }

    /** The script's stdout contract: {@code <tool>=<path>} lines, then the directory. */
    static K8sTools parse(String output) {
        Map<String, Path> paths = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && NAMES.contains(line.substring(0, eq))) {
                paths.put(line.substring(0, eq), Path.of(line.substring(eq + 1).trim()));
            }
        }
        return new K8sTools(Map.copyOf(paths));
    }

    private static String runEnsureScript() throws IOException {
        Path script = Project.root().resolve("hack/ensure-k8s-tools.sh");
        Process process = new ProcessBuilder(script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(script + " failed with exit code " + process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }
}

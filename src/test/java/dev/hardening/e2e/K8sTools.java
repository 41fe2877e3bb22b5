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
 *
 * <p>Another Kubernetes version ({@link #requestedVersion()}, e.g. the oldest supported one): kube-apiserver and
 * kube-controller-manager are then that version's, from {@code K8S_VERSION=<it> hack/ensure-k8s-tools.sh}
 * (built by {@code ./mvnw verify} before failsafe, instant here); etcd, kubectl and helm stay the default set's.
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

    /**
     * The tools that come from the requested version's build, when a version is requested: the server side. kubectl
     * stays the default one, as Helm does (a client newer than the cluster).
     */
    static final List<String> VERSIONED = List.of("kube-apiserver", "kube-controller-manager");

    /**
     * The Kubernetes version the end-to-end tests were asked to run against ({@code -Dhardening.k8s.version} or
     * {@code HARDENING_K8S_VERSION}, e.g. {@code v1.32.13}); empty: the default one of hack/tools/k8s.
     */
    public static Optional<String> requestedVersion() {
        return Optional.ofNullable(System.getProperty("hardening.k8s.version"))
                .or(() -> Optional.ofNullable(System.getenv("HARDENING_K8S_VERSION")))
                .filter(v -> !v.isBlank());
    }

    public static K8sTools locate() {
        K8sTools tools = locateDefault();
        Optional<String> version = requestedVersion();
        if (version.isEmpty()) {
            return tools;
        }
        try {
            Map<String, Path> paths = new HashMap<>(tools.paths());
            paths.putAll(parse(runEnsureScript(Map.of("K8S_VERSION", version.get()), VERSIONED)).paths());
            return new K8sTools(Map.copyOf(paths));
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the Kubernetes " + version.get() + " binaries: " + e.getMessage(), e);
        }
    }

    private static K8sTools locateDefault() {
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
                    : runEnsureScript(Map.of(), List.of());
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

    private static String runEnsureScript(Map<String, String> env, List<String> tools) throws IOException {
        Path script = Project.root().resolve("hack/ensure-k8s-tools.sh");
        List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
        command.addAll(tools);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        Process process = builder.start();
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

package dev.hardening.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl binary, as a user would type it, with one kubeconfig. */
public final class Kubectl {

    private final Path binary;
    private final Path kubeconfig;

    public Kubectl(Path binary, Path kubeconfig) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
    }

    /** The same kubectl with another identity. */
    public Kubectl as(Path otherKubeconfig) {
        return new Kubectl(binary, otherKubeconfig);
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    /** {@code kubectl <args>} with {@code stdin} piped in (for {@code -f -}). */
    public Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(Arrays.asList(args));
        return exec(command, stdin, Map.of());
    }

    /** Runs {@code kubectl <args>} and fails the test, with everything kubectl printed, unless it exits 0. */
    public String ok(String... args) {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError(result.describe());
        }
        return result.stdout();
    }

    /** Runs any command line (kubectl, helm) with extra environment; KUBECONFIG is never inherited. */
    static Result exec(List<String> command, String stdin, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(Project.root().toFile());
        builder.environment().remove("KUBECONFIG");
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after 2 minutes: " + String.join(" ", command));
            }
            return new Result(command, process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a command printed and how it exited. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        public List<String> stdoutLines() {
            return lines(stdout);
        }

        public List<String> stderrLines() {
            return lines(stderr);
        }

        private static List<String> lines(String text) {
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        }

        public String describe() {
            return "$ " + String.join(" ", command.subList(1, command.size())) + "\nexit code " + exitCode
                    + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}

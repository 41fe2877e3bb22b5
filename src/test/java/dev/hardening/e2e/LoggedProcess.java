package dev.hardening.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A child process whose stdout and stderr go to a log file; stopped by its pid (TERM, then KILL after 15 s). */
final class LoggedProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private LoggedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static LoggedProcess start(String name, List<String> command, Map<String, String> env, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                // appended: a process started again (kube-apiserver after an outage) keeps its earlier log
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(Project.root().toFile());
        builder.environment().putAll(env);
        try {
            return new LoggedProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command.get(0), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Fails with the end of the log when the process has exited: a dead child must not look like a slow one. */
    void assertAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + pid() + ") exited with code " + process.exitValue()
                    + "; last lines of " + log + ":\n" + tail(40));
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        terminate(Duration.ofSeconds(15));
    }

    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    /** SIGTERM without waiting for the exit. */
    void sigterm() {
        process.destroy();
    }

    /** SIGKILL, as the kernel's OOM killer or a node failure would: no shutdown hook runs. */
    void sigkill() {
        process.destroyForcibly();
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, as a kubelet stopping the pod; true when the process exited within {@code grace}, else it is killed. */
    public boolean terminate(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            System.err.printf("[e2e] %s (pid %d) ignored SIGTERM for %ds; killing it%n", name, pid(), grace.toSeconds());
            process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return false;
    }
}

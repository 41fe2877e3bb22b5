package dev.hardening.e2e;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}) as a separate java process, configured like
 * the chart configures it (environment) and with the image's JVM options and the chart's limits ({@link PodJvm}):
 * either serving its webhook on loopback and registering {@code https://127.0.0.1:<port>/validate}, or as one of the
 * chart's replicas behind its Service, in a network namespace of its own ({@link Replicas}). Ready when its management port says so and its
 * ValidatingWebhookConfiguration carries a caBundle. Its log is {@code target/e2e/<name>/operator.log}.
 */
public final class OperatorProcess implements AutoCloseable {

    public static final String NAMESPACE = "hardening-system";
    public static final String CONFIGURATION = "hardening-operator";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final LoggedProcess process;
    private final Kubectl admin;
    private final String configurationName;
    private final String webhookHost;
    private final int webhookPort;
    private final String managementHost;
    private final int managementPort;
    private final URI readiness;

    private OperatorProcess(LoggedProcess process, Kubectl admin, String configurationName, String webhookHost,
                            int webhookPort, String managementHost, int managementPort) {
        this.process = process;
        this.admin = admin;
        this.configurationName = configurationName;
        this.webhookHost = webhookHost;
        this.webhookPort = webhookPort;
        this.managementHost = managementHost;
        this.managementPort = managementPort;
        this.readiness = URI.create(managementUrl() + "/q/health/ready");
    }

    /**
     * Starts the operator with {@code kubeconfig}'s identity, its webhook on {@code 127.0.0.1:<free port>} registered
     * by URL. {@code env} (e.g. the chart's ConfigMap) comes first; addresses and ports are always set here.
     */
    public static OperatorProcess start(ControlPlane cluster, String name, Path kubeconfig, Map<String, String> env) {
        int webhookPort = LoopbackPorts.free();
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("HARDENING_WEBHOOK_URL", "https://127.0.0.1:" + webhookPort + "/validate");
        return launch(cluster, name, kubeconfig, all, null, "127.0.0.1", webhookPort, LoopbackPorts.free());
    }

    /**
     * Starts one replica as the chart's Deployment runs it: inside its network namespace, its webhook and management
     * ports on the namespace's address, reached by the API server through the chart's Service (no URL; the harness
     * writes the Service's EndpointSlices, see {@link Replicas}).
     */
    static OperatorProcess startReplica(ControlPlane cluster, String name, Path kubeconfig, Map<String, String> env,
                                        ControlPlane.ReplicaNetwork network, int port, int managementPort) {
        return launch(cluster, name, kubeconfig, env, network.netns(), network.address(), port, managementPort);
    }

    private static OperatorProcess launch(ControlPlane cluster, String name, Path kubeconfig, Map<String, String> env,
                                          String netns, String webhookHost, int webhookPort, int managementPort) {
        Path jar = Pieces.operatorJar();
        Path dir = Project.workDir(name);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("HARDENING_NAMESPACE", NAMESPACE);
        all.putAll(env);
        // the chart creates the release namespace before the operator runs; an operator started on its own needs it too
        // (its Leases and Secret live there), whichever test happened to run first
        cluster.kubectl().run("create", "namespace", all.get("HARDENING_NAMESPACE"));
        all.put("KUBECONFIG", kubeconfig.toString());
        all.put("HARDENING_WEBHOOK_HOST", webhookHost);
        all.put("HARDENING_WEBHOOK_PORT", Integer.toString(webhookPort));
        all.put("QUARKUS_MANAGEMENT_HOST", webhookHost);
        all.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        all.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (netns != null) {
            // exec's java in place: the process (its pid, its signals) is the JVM's
            command.addAll(List.of("ip", "netns", "exec", netns));
        }
        command.add(java);
        command.addAll(PodJvm.arguments());
        command.addAll(List.of("-jar", jar.toString()));
        LoggedProcess process = LoggedProcess.start("operator " + name, command, all, dir.resolve("operator.log"));
        String configurationName = all.getOrDefault("HARDENING_WEBHOOK_CONFIGURATION_NAME", CONFIGURATION);
        OperatorProcess operator = new OperatorProcess(process, cluster.kubectl(), configurationName, webhookHost,
                webhookPort, webhookHost, managementPort);
        try {
            operator.awaitReady();
        } catch (RuntimeException e) {
            operator.close();
            throw new IllegalStateException(e.getMessage() + "\nlast lines of " + process.log() + ":\n" + process.tail(40), e);
        }
        System.err.printf("[e2e] operator %s up (pid %d), webhook https://%s:%d/validate, log %s%n",
                name, process.pid(), webhookHost, webhookPort, process.log());
        return operator;
    }

    /** The process id: a replica that survived a fault is the same process, not a restarted one. */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.alive();
    }

    public String webhookHost() {
        return webhookHost;
    }

    public int webhookPort() {
        return webhookPort;
    }

    /** Health and {@code /q/metrics}, plain HTTP on the address the webhook serves on (loopback or the replica's). */
    public int managementPort() {
        return managementPort;
    }

    /** {@code http://<host>:<management port>}. */
    public String managementUrl() {
        return "http://" + managementHost + ":" + managementPort;
    }

    /**
     * How many AdmissionReviews of {@code kind} the webhook has answered so far, whatever the operation and decision:
     * the sum of {@code hardening_admission_requests_total{kind="<kind>",...}} on its management port, as Prometheus
     * would scrape it.
     */
    public long admissionRequests(String kind) {
        String metrics;
        try {
            metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create(managementUrl() + "/q/metrics"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("hardening_admission_requests_total{") && line.contains("kind=\"" + kind + "\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(sum);
    }

    public Path log() {
        return process.log();
    }

    public String logTail(int lines) {
        return process.tail(lines);
    }

    /** Whether the readiness probe the chart's Deployment uses passes now (a kubelet would route to it). */
    public boolean ready() {
        return readinessProblem().isEmpty();
    }

    /** The names of the checks behind the readiness probe, as {@code /q/health/ready} lists them. */
    public java.util.List<String> readinessChecks() throws java.io.IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (var check : new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("checks")) {
            names.add(check.path("name").asText());
        }
        return names;
    }

    /** Why the readiness probe fails now (HTTP status or the exception), empty when it passes. */
    Optional<String> readinessProblem() {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? Optional.empty() : Optional.of("HTTP " + status);
        } catch (java.io.IOException e) {
            return Optional.of(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private void awaitReady() {
        Awaitility.await("operator readiness " + readiness).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .failFast("operator exited", process::assertAlive)
                .until(this::ready);
        Awaitility.await("ValidatingWebhookConfiguration " + configurationName + " with a caBundle")
                .atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .failFast("operator exited", process::assertAlive)
                .until(() -> !admin.run("get", "validatingwebhookconfiguration", configurationName,
                        "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout().isBlank());
    }

    /**
     * Stops the process only, as when its pod goes away; what it registered stays. True when it exited within
     * 10 seconds of SIGTERM (well inside a pod's default 30-second grace period).
     */
    public boolean stopProcess() {
        return process.terminate(Duration.ofSeconds(10));
    }

    /** SHA-256 of the certificate the webhook serves now (a fresh TLS handshake). */
    public String servedFingerprint() {
        return TlsPeek.leafSha256(webhookHost, webhookPort);
    }

    /** SIGKILL, as the OOM killer or a lost node: no shutdown hook, no Lease released. */
    public void kill() {
        process.sigkill();
    }

    /** Runs {@code action} (on another thread) the moment the process has exited, however it ended. */
    void onExit(Runnable action) {
        process.onExit(action);
    }

    /**
     * Stops the process (the pod going away) and deletes its ValidatingWebhookConfiguration, so that a
     * failurePolicy of Fail pointing at a dead port does not block the tests that follow.
     */
    @Override
    public void close() {
        process.close();
        admin.run("delete", "validatingwebhookconfiguration", configurationName, "--ignore-not-found");
    }
}

package dev.hardening.e2e;

import org.awaitility.Awaitility;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}) as a separate java process, configured like
 * the chart configures it (environment), but serving its webhook on loopback and registering
 * {@code https://127.0.0.1:<port>/validate}. Ready when its management port says so and its
 * ValidatingWebhookConfiguration carries a caBundle. Its log is {@code target/e2e/<name>/operator.log}.
 */
public final class OperatorProcess implements AutoCloseable {

    public static final String NAMESPACE = "hardening-system";
    public static final String CONFIGURATION = "hardening-operator";

    private final LoggedProcess process;
    private final Kubectl admin;
    private final String configurationName;
    private final int webhookPort;
    private final int managementPort;

    private OperatorProcess(LoggedProcess process, Kubectl admin, String configurationName, int webhookPort,
                            int managementPort) {
        this.process = process;
        this.admin = admin;
        this.configurationName = configurationName;
        this.webhookPort = webhookPort;
        this.managementPort = managementPort;
    }

    /**
     * Starts the operator with {@code kubeconfig}'s identity. {@code env} (e.g. the chart's ConfigMap) comes first;
     * loopback addresses and ports are always set here.
     */
    public static OperatorProcess start(ControlPlane cluster, String name, Path kubeconfig, Map<String, String> env) {
        Path jar = Pieces.operatorJar();
        Path dir = Project.workDir(name);
        int webhookPort = LoopbackPorts.free();
        int managementPort = LoopbackPorts.free();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("HARDENING_NAMESPACE", NAMESPACE);
        all.putAll(env);
        // the chart creates the release namespace before the operator runs; an operator started on its own needs it too
        // (its Leases and Secret live there), whichever test happened to run first
        cluster.kubectl().run("create", "namespace", all.get("HARDENING_NAMESPACE"));
        all.put("KUBECONFIG", kubeconfig.toString());
        all.put("HARDENING_WEBHOOK_HOST", "127.0.0.1");
        all.put("HARDENING_WEBHOOK_PORT", Integer.toString(webhookPort));
        all.put("HARDENING_WEBHOOK_URL", "https://127.0.0.1:" + webhookPort + "/validate");
        all.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        all.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        all.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        LoggedProcess process = LoggedProcess.start("operator " + name, List.of(java, "-Xmx256m", "-jar", jar.toString()),
                all, dir.resolve("operator.log"));
        String configurationName = all.getOrDefault("HARDENING_WEBHOOK_CONFIGURATION_NAME", CONFIGURATION);
        OperatorProcess operator = new OperatorProcess(process, cluster.kubectl(), configurationName, webhookPort,
                managementPort);
        try {
            operator.awaitReady(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"));
        } catch (RuntimeException e) {
            operator.close();
            throw new IllegalStateException(e.getMessage() + "\nlast lines of " + process.log() + ":\n" + process.tail(40), e);
        }
        System.err.printf("[e2e] operator %s up (pid %d), webhook https://127.0.0.1:%d/validate, log %s%n",
                name, process.pid(), webhookPort, process.log());
        return operator;
    }

    public int webhookPort() {
        return webhookPort;
    }

    /** Health and {@code /q/metrics}, plain HTTP on loopback. */
    public int managementPort() {
        return managementPort;
    }

    public Path log() {
        return process.log();
    }

    public String logTail(int lines) {
        return process.tail(lines);
    }

    private void awaitReady(URI readiness) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Awaitility.await("operator readiness " + readiness).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .failFast("operator exited", process::assertAlive)
                .ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
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
        return TlsPeek.leafSha256("127.0.0.1", webhookPort);
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

package dev.hardening.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real Kubernetes control plane on loopback, as in {@code hack/k8s-smoke.sh}: etcd, kube-apiserver (RBAC, a static
 * admin token in system:masters, service-account token signing, an audit log of workload creates) and
 * kube-controller-manager with the workload controllers ({@link #CONTROLLERS}), each acting under its own
 * ServiceAccount ({@code system:serviceaccount:kube-system:replicaset-controller}, ...) as in kubeadm. No kubelet:
 * Deployments get their ReplicaSets and Pods, the Pods stay Pending.
 *
 * <p>Started once per test JVM ({@link #shared()}) and stopped by a shutdown hook. Logs stay in
 * {@code target/e2e/control-plane/}.
 */
public final class ControlPlane {

    /** What kubeadm enables that concerns workloads (no kubelet, nodes or cloud here), as in hack/k8s-smoke.sh. */
    static final List<String> CONTROLLERS = List.of("deployment-controller", "replicaset-controller",
            "statefulset-controller", "daemonset-controller", "job-controller", "cronjob-controller",
            "replicationcontroller-controller", "serviceaccount-controller", "serviceaccount-token-controller",
            "garbage-collector-controller", "namespace-controller",
            // fills the built-in admin, edit and view ClusterRoles from their aggregated parts: without it they grant
            // nothing, and a test of what a namespace admin may do could not fail
            "clusterrole-aggregation-controller");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ControlPlane shared;
    private static RuntimeException startFailure;

    private final K8sTools tools;
    private final Path dir;
    private final List<LoggedProcess> processes = new ArrayList<>();
    private int apiserverPort;
    private List<String> apiserverCommand;
    private int etcdPort;
    private List<String> etcdCommand;
    private Path kubeconfig;
    private String adminToken;

    private ControlPlane(K8sTools tools, Path dir) {
        this.tools = tools;
        this.dir = dir;
    }

    /** The control plane of this JVM, started on first use. */
    public static synchronized ControlPlane shared() {
        if (startFailure != null) {
            throw new IllegalStateException("the control plane failed to start earlier in this JVM", startFailure);
        }
        if (shared == null) {
            ControlPlane started = new ControlPlane(K8sTools.locate(), Project.workDir("control-plane"));
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "control-plane-stop"));
            try {
                started.start();
            } catch (RuntimeException e) {
                started.stop();
                startFailure = e;
                throw e;
            }
            shared = started;
        }
        return shared;
    }

    public K8sTools tools() {
        return tools;
    }

    /** Admin kubeconfig (system:masters). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    public String server() {
        return "https://127.0.0.1:" + apiserverPort;
    }

    public Path dir() {
        return dir;
    }

    /** The API server's audit log (JSON lines): the creates of Pods, ReplicaSets, Jobs... with the requesting user. */
    public Path auditLog() {
        return dir.resolve("audit.log");
    }

    /**
     * Who created {@code resource} (plural, e.g. {@code pods}) in {@code namespace}, one username per create the API
     * server answered with 201, in order, according to the audit log.
     */
    public List<String> creators(String resource, String namespace) {
        List<String> users = new ArrayList<>();
        try (var lines = Files.lines(auditLog())) {
            for (String line : (Iterable<String>) lines::iterator) {
                JsonNode event = JSON.readTree(line);
                JsonNode ref = event.path("objectRef");
                if (event.path("stage").asText().equals("ResponseComplete") && event.path("verb").asText().equals("create")
                        && ref.path("resource").asText().equals(resource) && ref.path("namespace").asText().equals(namespace)
                        && event.path("responseStatus").path("code").asInt() == 201) {
                    users.add(event.path("user").path("username").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return users;
    }

    /**
     * An HTTP client for the API server, trusting its serving certificate, and the admin's bearer token: for load
     * generators that would spend more on starting kubectl than on the request (hack/soak.sh).
     */
    public HttpClient adminHttpClient() {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trust.load(null, null);
            try (var in = Files.newInputStream(dir.resolve("apiserver-certs/apiserver.crt"))) {
                trust.setCertificateEntry("apiserver", java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in));
            }
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory
                    .getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String adminBearerToken() {
        return adminToken;
    }

    /** kubectl as the cluster admin. */
    public Kubectl kubectl() {
        return new Kubectl(tools.kubectl(), kubeconfig);
    }

    /** Writes a kubeconfig that authenticates with {@code token} (e.g. a ServiceAccount's, from kubectl create token). */
    public Path kubeconfigWithToken(String name, String token) {
        Path file = dir.resolve("kubeconfig-" + name);
        write(file, kubeconfigYaml(name, token));
        return file;
    }

    private void start() {
        int etcdClient = LoopbackPorts.free();
        int etcdPeer = LoopbackPorts.free();
        apiserverPort = LoopbackPorts.free();
        int kcmPort = LoopbackPorts.free();
        String etcdUrl = "http://127.0.0.1:" + etcdClient;
        String peerUrl = "http://127.0.0.1:" + etcdPeer;

        etcdPort = etcdClient;
        etcdCommand = List.of(
                tools.etcd().toString(),
                "--name=e2e",
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=e2e=" + peerUrl,
                "--initial-cluster-state=new",
                "--unsafe-no-fsync=true",
                "--log-level=warn");
        processes.add(restartable("etcd"));
        awaitHttp("etcd", URI.create(etcdUrl + "/health"), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());

        KeyPair serviceAccountKey = rsaKeyPair();
        write(dir.resolve("sa.key"), pem("PRIVATE KEY", serviceAccountKey.getPrivate().getEncoded()));
        write(dir.resolve("sa.pub"), pem("PUBLIC KEY", serviceAccountKey.getPublic().getEncoded()));
        adminToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
        write(dir.resolve("tokens.csv"), adminToken + ",e2e-admin,e2e-admin-uid,\"system:masters\"\n");

        apiserverCommand = List.of(
                tools.kubeApiserver().toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--endpoint-reconciler-type=none",
                "--secure-port=" + apiserverPort,
                "--cert-dir=" + dir.resolve("apiserver-certs"),
                "--service-cluster-ip-range=10.0.0.0/24",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--disable-admission-plugins=ServiceAccount",
                "--allow-privileged=true",
                "--enable-priority-and-fairness=false",
                // webhooks behind a Service are called at their endpoints (no kube-proxy here): see Replicas
                "--enable-aggregator-routing=true",
                                "--audit-policy-file=" + Project.root().resolve("hack/audit-policy.yaml"),
                "--audit-log-path=" + auditLog(),
                "--profiling=false");
        processes.add(restartable("kube-apiserver"));
        // the serving certificate (self-signed, SANs 127.0.0.1 and kubernetes.default...) appears before /readyz
        Path servingCert = dir.resolve("apiserver-certs/apiserver.crt");
        await("kube-apiserver serving certificate").until(() -> Files.isRegularFile(servingCert) && Files.size(servingCert) > 0);
        kubeconfig = dir.resolve("kubeconfig");
        write(kubeconfig, kubeconfigYaml("e2e-admin", adminToken));
        awaitHttp("kube-apiserver", URI.create(server() + "/readyz"), insecureClient());

        processes.add(LoggedProcess.start("kube-controller-manager", List.of(
                tools.kubeControllerManager().toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--authentication-skip-lookup=true",
                "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics",
                "--controllers=" + String.join(",", CONTROLLERS),
                // each controller under its own ServiceAccount and bootstrap RBAC role, as kubeadm runs them; the
                // token controller signs with the API server's key and puts its CA into token Secrets
                "--use-service-account-credentials=true",
                "--service-account-private-key-file=" + dir.resolve("sa.key"),
                "--root-ca-file=" + servingCert,
                "--leader-elect=false",
                "--bind-address=127.0.0.1",
                "--secure-port=" + kcmPort,
                "--cert-dir=" + dir.resolve("kcm-certs"),
                "--profiling=false"), Map.of(), dir.resolve("kube-controller-manager.log")));
        awaitHttp("kube-controller-manager", URI.create("https://127.0.0.1:" + kcmPort + "/healthz"), insecureClient());
        System.err.printf("[e2e] control plane up: %s, kubeconfig %s, logs in %s%n", server(), kubeconfig, dir);
    }

    private LoggedProcess restartable(String name) {
        List<String> command = name.equals("etcd") ? etcdCommand : apiserverCommand;
        return LoggedProcess.start(name, command, Map.of(), dir.resolve(name + ".log"));
    }

    /**
     * Stops kube-apiserver (SIGTERM, as a control-plane upgrade would) and returns once its port refuses
     * connections; etcd and the controllers stay. Its graceful shutdown then goes on in the background (it drains
     * watches for a while after it stopped listening). Clients, the operator among them, get connection refused until
     * {@link #startApiserver()}.
     */
    public void stopApiserver() {
        stopListening("kube-apiserver", apiserverPort);
    }

    /**
     * Starts kube-apiserver again with the same flags, port, certificates and etcd (after the previous process has
     * exited), and waits until it is ready.
     */
    public void startApiserver() {
        startAgain("kube-apiserver", URI.create(server() + "/readyz"), insecureClient());
    }

    /**
     * Stops etcd (SIGTERM); kube-apiserver stays up and answers what it can from its watch cache, failing what
     * needs storage (Lease renewals, status writes) until {@link #startEtcd()}.
     */
    public void stopEtcd() {
        stopListening("etcd", etcdPort);
    }

    /** Starts etcd again on its data directory (same member, same data), and waits until it is healthy. */
    public void startEtcd() {
        startAgain("etcd", URI.create("http://127.0.0.1:" + etcdPort + "/health"),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    private synchronized void stopListening(String name, int port) {
        processes.get(index(name)).sigterm();
        Awaitility.await(name + " to stop listening").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !listening(port));
        System.err.printf("[e2e] %s stopped listening%n", name);
    }

    private synchronized void startAgain(String name, URI health, HttpClient client) {
        int index = index(name);
        processes.get(index).terminate(Duration.ofSeconds(30));
        processes.set(index, restartable(name));
        awaitHttp(name, health, client);
        System.err.printf("[e2e] %s started again%n", name);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private int index(String name) {
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("the control plane has no " + name);
    }

    /** Stops kube-controller-manager, kube-apiserver and etcd (reverse start order) by pid. Logs stay. */
    private synchronized void stop() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        processes.clear();
    }

    private String kubeconfigYaml(String user, String token) {
        String ca;
        try {
            ca = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("apiserver-certs/apiserver.crt")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: e2e
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: e2e
                  context: {cluster: e2e, user: %s}
                current-context: e2e
                """.formatted(server(), ca, user, token, user);
    }

    private org.awaitility.core.ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .failFast(what + ": a control-plane process died", () -> processes.forEach(LoggedProcess::assertAlive));
    }

    private void awaitHttp(String what, URI uri, HttpClient client) {
        await(what + " " + uri).ignoreExceptions().until(() -> client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** Only for health endpoints of our own loopback processes before any certificate is known. */
    static SSLContext trustAllContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new X509ExtendedTrustManager[]{new TrustAll()}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpClient insecureClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustAllContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trusts anything and, being an X509ExtendedTrustManager, skips hostname checks too. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}

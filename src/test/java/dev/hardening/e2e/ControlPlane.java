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
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real Kubernetes control plane, started with the flags of {@code hack/cluster.sh} (the launcher the scripts use
 * too): etcd on loopback; kube-apiserver (RBAC, a static admin token in system:masters, service-account token
 * signing, an audit log of workload creates) bound to the host address of the cluster network, a bridge the script
 * creates so that the replicas in their own network namespaces ({@link Replicas}) reach it; kube-controller-manager
 * with the workload controllers, each acting under its own ServiceAccount
 * ({@code system:serviceaccount:kube-system:replicaset-controller}, ...) as in kubeadm. No kubelet: Deployments get
 * their ReplicaSets and Pods, the Pods stay Pending. Nothing listens on the machine's own external address.
 *
 * <p>Started once per test JVM ({@link #shared()}) and stopped by a shutdown hook, which also removes the network
 * (a JVM killed before it can is cleaned up by the next start: {@code hack/cluster.sh net sweep}). Logs stay in
 * {@code target/e2e/control-plane/}.
 */
public final class ControlPlane {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ControlPlane shared;
    private static RuntimeException startFailure;

    private final K8sTools tools;
    private final Path dir;
    private final List<LoggedProcess> processes = new ArrayList<>();
    private String hostAddress;
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
        return "https://" + hostAddress + ":" + apiserverPort;
    }

    /**
     * The host side of the cluster network: kube-apiserver's bind address, what the replicas' namespaces route to.
     * Created by this harness, never the machine's own interface.
     */
    public String hostAddress() {
        return hostAddress;
    }

    /** A network namespace of its own for a replica, on the cluster network ({@code hack/cluster.sh net add}). */
    ReplicaNetwork addReplicaNetwork(String replica) {
        String[] answer = ClusterScript.run("net", "add", dir.toString(), replica).get(0).split(" ");
        return new ReplicaNetwork(answer[0], answer[1]);
    }

    /** Removes a replica's namespace and its link. */
    void removeReplicaNetwork(String replica) {
        ClusterScript.run("net", "del", dir.toString(), replica);
    }

    /** A replica's network namespace and its address there (what its EndpointSlice names). */
    record ReplicaNetwork(String netns, String address) {
    }

    /** The pids of etcd, kube-apiserver and kube-controller-manager now. */
    synchronized List<Long> pids() {
        return processes.stream().map(LoggedProcess::pid).toList();
    }

    /** This machine's own addresses outside loopback and the cluster network: no project process may use them. */
    static List<String> externalAddresses() {
        return ClusterScript.run("net", "external");
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
        hostAddress = ClusterScript.run("net", "up", dir.toString(), Long.toString(ProcessHandle.current().pid()))
                .stream().filter(l -> l.startsWith("HOST_ADDRESS=")).findFirst()
                .orElseThrow(() -> new IllegalStateException("hack/cluster.sh net up printed no HOST_ADDRESS"))
                .substring("HOST_ADDRESS=".length());
        int etcdClient = LoopbackPorts.free();
        int etcdPeer = LoopbackPorts.free();
        try {
            apiserverPort = LoopbackPorts.freeOn(java.net.InetAddress.getByName(hostAddress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int kcmPort = LoopbackPorts.free();
        String etcdUrl = "http://127.0.0.1:" + etcdClient;

        etcdPort = etcdClient;
        etcdCommand = command(tools.etcd(), "etcd", dir.toString(), Integer.toString(etcdClient), Integer.toString(etcdPeer));
        processes.add(restartable("etcd"));
        awaitHttp("etcd", URI.create(etcdUrl + "/health"), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());

        adminToken = ClusterScript.run("prepare", dir.toString(), "e2e-admin").get(0);
        apiserverCommand = command(tools.kubeApiserver(), "kube-apiserver", dir.toString(), hostAddress,
                Integer.toString(apiserverPort), etcdUrl, "audit");
        processes.add(restartable("kube-apiserver"));
        // the serving certificate (self-signed, SANs the bind address and kubernetes.default...) appears before /readyz
        Path servingCert = dir.resolve("apiserver-certs/apiserver.crt");
        await("kube-apiserver serving certificate").until(() -> Files.isRegularFile(servingCert) && Files.size(servingCert) > 0);
        kubeconfig = dir.resolve("kubeconfig");
        write(kubeconfig, kubeconfigYaml("e2e-admin", adminToken));
        awaitHttp("kube-apiserver", URI.create(server() + "/readyz"), insecureClient());

        processes.add(LoggedProcess.start("kube-controller-manager", command(tools.kubeControllerManager(),
                "kube-controller-manager", dir.toString(), kubeconfig.toString(), Integer.toString(kcmPort)),
                Map.of(), dir.resolve("kube-controller-manager.log")));
        awaitHttp("kube-controller-manager", URI.create("https://127.0.0.1:" + kcmPort + "/healthz"), insecureClient());
        System.err.printf("[e2e] control plane up: %s, kubeconfig %s, logs in %s%n", server(), kubeconfig, dir);
    }

    /** The binary and the flags {@code hack/cluster.sh args <component> ...} gives it. */
    private static List<String> command(Path binary, String component, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        List<String> scriptArgs = new ArrayList<>(List.of("args", component));
        scriptArgs.addAll(List.of(args));
        command.addAll(ClusterScript.run(scriptArgs.toArray(String[]::new)));
        return command;
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
        stopListening("kube-apiserver", hostAddress, apiserverPort);
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
        stopListening("etcd", "127.0.0.1", etcdPort);
    }

    /** Starts etcd again on its data directory (same member, same data), and waits until it is healthy. */
    public void startEtcd() {
        startAgain("etcd", URI.create("http://127.0.0.1:" + etcdPort + "/health"),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    private synchronized void stopListening(String name, String host, int port) {
        processes.get(index(name)).sigterm();
        Awaitility.await(name + " to stop listening").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !listening(host, port));
        System.err.printf("[e2e] %s stopped listening%n", name);
    }

    private synchronized void startAgain(String name, URI health, HttpClient client) {
        int index = index(name);
        processes.get(index).terminate(Duration.ofSeconds(30));
        processes.set(index, restartable(name));
        awaitHttp(name, health, client);
        System.err.printf("[e2e] %s started again%n", name);
    }

    private static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 1000);
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

    /**
     * Stops kube-controller-manager, kube-apiserver and etcd (reverse start order) by pid, then removes the cluster
     * network with every replica namespace still on it. Logs stay.
     */
    private synchronized void stop() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        processes.clear();
        if (hostAddress != null) {
            ClusterScript.run("net", "down", dir.toString());
        }
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

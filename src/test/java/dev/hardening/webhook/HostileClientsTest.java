package dev.hardening.webhook;

import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Profile;
import dev.hardening.testing.TestConfig;
import dev.hardening.testing.TestPolicies;
import dev.hardening.testing.TestPolicyIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook port is reachable from every Pod by default. Clients that open connections and send nothing, or send
 * their request a byte at a time, must not keep the API server's admissions from being answered, and must not hold
 * memory or sockets for long. Real {@link WebhookServer}, real TLS, raw sockets for the hostile side.
 */
class HostileClientsTest {

    static final String LEGACY_POD = TestTlsMaterialSource.resource("admission/create-pod-legacy.json");
    static final String HARDENED_POD = TestTlsMaterialSource.resource("admission/create-pod-hardened.json");

    final Vertx vertx = Vertx.vertx();
    final List<SSLSocket> hostile = new ArrayList<>();
    final Map<SSLSocket, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
    final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    WebhookServer server;

    @AfterEach
    void tearDown() {
        trickle.shutdownNow();
        hostile.forEach(HostileClientsTest::closeQuietly);
        if (server != null) {
            server.onStop(null);
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void fiveHundredIdleAndSlowConnectionsDoNotStopAdmissions() throws Exception {
        // timeouts far beyond the test: only the connection bound can keep the port usable
        start(Map.of("hardening.webhook.max-connections", "100",
                "hardening.webhook.idle-timeout", "PT10M", "hardening.webhook.read-timeout", "PT10M"));

        for (int i = 0; i < 500; i++) {
            SSLSocket socket = handshake();
            if (i % 2 == 1) {
                // headers and the start of a body that never comes
                write(socket, "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 3145728\r\n\r\n{\"apiVersion\":");
            }
            hostile.add(socket);
            if (i % 100 == 99) {
                assertAdmissionsAnswered();
            }
        }

        assertAdmissionsAnswered();
        await().atMost(Duration.ofSeconds(60)).until(() -> stillOpen(hostile) <= 100);
        assertThat(server.openConnections()).isLessThanOrEqualTo(100);
    }

    @Test
    void idleAndSlowConnectionsAreClosedAfterTheirTimeouts() throws Exception {
        // long enough that opening the 60 connections (slow on a loaded machine) ends before the first times out
        start(Map.of("hardening.webhook.idle-timeout", "PT3S", "hardening.webhook.read-timeout", "PT3S"));
        List<SSLSocket> idle = new ArrayList<>();
        List<SSLSocket> slowHeaders = new ArrayList<>();
        List<SSLSocket> slowBodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            idle.add(handshake());
            SSLSocket headers = handshake();
            write(headers, "POST /validate HTTP/1.1\r\n");
            slowHeaders.add(headers);
            SSLSocket body = handshake();
            write(body, "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n{");
            slowBodies.add(body);
        }
        hostile.addAll(idle);
        hostile.addAll(slowHeaders);
        hostile.addAll(slowBodies);
        // a byte every 100 ms to each slow one: activity alone must not keep a connection alive
        trickle.scheduleAtFixedRate(() -> {
            slowHeaders.forEach(s -> tryWrite(s, "X"));
            slowBodies.forEach(s -> tryWrite(s, " "));
        }, 100, 100, TimeUnit.MILLISECONDS);

        assertAdmissionsAnswered();
        await().atMost(Duration.ofSeconds(60)).until(() -> stillOpen(hostile) == 0);
        // the admissions' own keep-alive connections too, once idle
        await().atMost(Duration.ofSeconds(60)).until(() -> server.openConnections() == 0);
        trickle.shutdownNow();
        for (SSLSocket body : slowBodies) {
            assertThat(received(body)).startsWith("HTTP/1.1 408").endsWith("request body not received in time\n");
        }
        assertAdmissionsAnswered();
    }

    @Test
    void http2StreamsThatNeverFinishTheirBodyDoNotStopAdmissions() throws Exception {
        // one connection, 60 streams: under the connection bound, over the bound of requests read at once
        start(Map.of("hardening.webhook.max-connections", "20",
                "hardening.webhook.idle-timeout", "PT10M", "hardening.webhook.read-timeout", "PT10M"));
        io.vertx.core.http.HttpClient client = WebhookTls.http2Client(vertx);
        List<CompletableFuture<Integer>> hoarded = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            HttpClientRequest stream = client.request(HttpMethod.POST, server.port(), "localhost", "/validate")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            stream.putHeader("Content-Type", "application/json").putHeader("Content-Length", "3145728")
                    .write("{\"apiVersion\":");
            hoarded.add(stream.response().map(HttpClientResponse::statusCode).toCompletionStage().toCompletableFuture());
        }

        assertAdmissionsAnswered();
        await().atMost(Duration.ofSeconds(60)).until(() -> server.requestsInFlight() <= 20);
        // the streams read the longest were answered 408, the connection itself stayed
        await().atMost(Duration.ofSeconds(60)).until(() -> hoarded.stream().filter(f -> f.getNow(0) == 408).count() >= 40);
        assertThat(hoarded.subList(0, 40)).allSatisfy(f -> assertThat(f.getNow(0)).isEqualTo(408));
        assertAdmissionsAnswered();
    }

    @Test
    void aReviewArrivingInManySmallWritesIsAnswered() throws Exception {
        start(Map.of());
        // padded with JSON whitespace to 200 kB, sent in 1 kB writes: the body is read across many chunks
        String padded = LEGACY_POD.replaceFirst("\\{", "{" + " ".repeat(200_000));
        byte[] body = padded.getBytes(StandardCharsets.UTF_8);
        SSLSocket socket = handshake();
        hostile.add(socket);
        write(socket, "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        for (int offset = 0; offset < body.length; offset += 1024) {
            out.write(body, offset, Math.min(1024, body.length - offset));
            out.flush();
        }
        String reply = readAll(socket);
        assertThat(reply).startsWith("HTTP/1.1 200").contains("\"allowed\":false")
                .contains("violates HardeningPolicy \\\"payments/strict\\\"");
    }

    @Test
    void aChunkedBodyBeyondTheLimitIsRefusedAsItArrives() throws Exception {
        start(Map.of("hardening.webhook.max-body-bytes", "65536"));
        SSLSocket socket = handshake();
        hostile.add(socket);
        write(socket, "POST /validate HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = " ".repeat(4096);
        for (int i = 0; i < 17; i++) {
            write(socket, Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
        }
        write(socket, "0\r\n\r\n");
        assertThat(readAll(socket)).startsWith("HTTP/1.1 413").endsWith("request body larger than 65536 bytes\n");
    }

    private void start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("hardening.webhook.port", "0",
                "hardening.webhook.host", "127.0.0.1"));
        all.putAll(settings);
        TestPolicyIndex policies = new TestPolicyIndex();
        policies.set("payments", TestPolicies.profile("payments", "strict", Profile.Hardened, RuleMode.Enforce));
        server = new WebhookServer(vertx, new TestTlsMaterialSource(),
                new AdmissionService(policies, new AdmissionMetrics(new SimpleMeterRegistry()), TestConfig.hardening(all)),
                TestConfig.hardening(all));
        server.onStart(null);
        await().until(server::serving);
    }

    /** What the API server needs: a verdict for each review, here on fresh connections and on a kept-alive one. */
    private void assertAdmissionsAnswered() throws Exception {
        HttpClient keptAlive = client();
        for (int i = 0; i < 5; i++) {
            assertThat(review(client(), LEGACY_POD)).contains("\"allowed\":false");
            assertThat(review(keptAlive, HARDENED_POD)).contains("\"allowed\":true");
        }
    }

    private String review(HttpClient client, String review) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + server.port() + "/validate"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(WebhookTls.trusting(1)).build();
    }

    private SSLSocket handshake() throws IOException {
        SSLSocket socket = (SSLSocket) WebhookTls.trusting(1).getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.startHandshake();
        return socket;
    }

    private static void write(SSLSocket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static void tryWrite(SSLSocket socket, String text) {
        try {
            write(socket, text);
        } catch (IOException closed) {
            // the server closed it: what the test waits for
        }
    }

    /** How many of the sockets the server has not closed (a read that times out means still open). */
    private long stillOpen(List<SSLSocket> sockets) {
        return sockets.stream().filter(this::open).count();
    }

    private boolean open(SSLSocket socket) {
        if (socket.isClosed()) {
            return false;
        }
        try {
            socket.setSoTimeout(5);
            InputStream in = socket.getInputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    socket.close();
                    return false;
                }
                // an answer (408) before the close: kept for received()
                received.computeIfAbsent(socket, s -> new ByteArrayOutputStream()).write(b);
            }
        } catch (SocketTimeoutException stillOpen) {
            return true;
        } catch (IOException closed) {
            closeQuietly(socket);
            return false;
        }
    }

    private String received(SSLSocket socket) {
        ByteArrayOutputStream bytes = received.get(socket);
        return bytes == null ? "" : bytes.toString(StandardCharsets.US_ASCII);
    }

    private static String readAll(SSLSocket socket) throws IOException {
        socket.setSoTimeout(30_000);
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(SSLSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}

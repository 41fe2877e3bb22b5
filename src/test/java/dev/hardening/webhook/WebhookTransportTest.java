package dev.hardening.webhook;

import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Profile;
import dev.hardening.testing.TestConfig;
import dev.hardening.testing.TestPolicies;
import dev.hardening.testing.TestPolicyIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transport as the API server meets it: HTTP/2 negotiated by ALPN (HTTP/1.1 still served) with the same answers,
 * the protocol counted in metrics, connections spread over event loops, a slow HTTP/2 stream timed out without its
 * connection, and a stop that answers what is in flight. Real {@link WebhookServer}, real TLS, the JDK's client.
 */
class WebhookTransportTest {

    static final String LEGACY_POD = TestTlsMaterialSource.resource("admission/create-pod-legacy.json");
    static final String HARDENED_POD = TestTlsMaterialSource.resource("admission/create-pod-hardened.json");

    final Vertx vertx = Vertx.vertx();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Set<String> admissionThreads = ConcurrentHashMap.newKeySet();
    WebhookServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.onStop(null);
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static Stream<Arguments> answers() {
        String oversized = " ".repeat(65_537);
        return Stream.of(
                Arguments.of("denied review", "POST", "/validate", LEGACY_POD, 200, "\"allowed\":false"),
                Arguments.of("allowed review", "POST", "/validate", HARDENED_POD, 200, "\"allowed\":true"),
                Arguments.of("malformed review", "POST", "/validate", "{not json", 400, "bad AdmissionReview: malformed JSON"),
                Arguments.of("body over the limit", "POST", "/validate", oversized, 413, "request body larger than 65536 bytes\n"),
                Arguments.of("other path", "POST", "/mutate", "{}", 404, "not found: the admission endpoint is POST /validate\n"),
                Arguments.of("other method", "PUT", "/validate", "{}", 405, "method not allowed: use POST\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void http2AndHttp11ClientsGetTheSameAnswers(String scenario, String method, String path, String body, int status,
            String expected) throws Exception {
        start(2, Map.of("hardening.webhook.max-body-bytes", "65536"));
        for (Version version : List.of(Version.HTTP_2, Version.HTTP_1_1)) {
            HttpResponse<String> response = client(version).send(HttpRequest.newBuilder(uri(path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).as("negotiated by ALPN").isEqualTo(version);
            assertThat(response.statusCode()).as(version.name()).isEqualTo(status);
            assertThat(response.body()).as(version.name()).contains(expected);
        }
    }

    @Test
    void connectionsAreCountedByTheProtocolTheyNegotiated() throws Exception {
        start(1, Map.of());
        review(client(Version.HTTP_2), HARDENED_POD);
        review(client(Version.HTTP_2), HARDENED_POD);
        review(client(Version.HTTP_1_1), HARDENED_POD);

        assertThat(registry.get("hardening.webhook.connections").tag("protocol", "h2").counter().count()).isEqualTo(2);
        assertThat(registry.get("hardening.webhook.connections").tag("protocol", "http/1.1").counter().count()).isEqualTo(1);
    }

    @Test
    void manyStreamsOnOneHttp2ConnectionAreAllAnswered() throws Exception {
        start(2, Map.of());
        HttpClient shared = client(Version.HTTP_2);
        review(shared, HARDENED_POD); // connected first: concurrent first requests would each open a connection
        List<CompletableFuture<HttpResponse<String>>> inFlight = IntStream.range(0, 64)
                .mapToObj(i -> shared.sendAsync(post(i % 2 == 0 ? LEGACY_POD : HARDENED_POD), HttpResponse.BodyHandlers.ofString()))
                .toList();
        for (int i = 0; i < inFlight.size(); i++) {
            HttpResponse<String> response = inFlight.get(i).get(60, TimeUnit.SECONDS);
            assertThat(response.version()).isEqualTo(Version.HTTP_2);
            assertThat(response.body()).contains(i % 2 == 0 ? "\"allowed\":false" : "\"allowed\":true");
        }
        assertThat(registry.get("hardening.webhook.connections").tag("protocol", "h2").counter().count())
                .as("one connection carried them all").isEqualTo(1);
    }

    @Test
    void admissionIsServedOnEveryEventLoop() throws Exception {
        start(2, Map.of());
        // a connection per request: Vert.x hands new connections to the servers in turn
        for (int i = 0; i < 8; i++) {
            review(client(i % 2 == 0 ? Version.HTTP_2 : Version.HTTP_1_1), HARDENED_POD);
        }
        assertThat(admissionThreads).hasSize(2).allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
    }

    @Test
    void byDefaultOneEventLoopPerProcessor() {
        server = new WebhookServer(vertx, new TestTlsMaterialSource(), admission(new TestPolicyIndex()), config(Map.of()));
        assertThat(server.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aSlowHttp2StreamTimesOutAloneWhileItsConnectionServesOthers() throws Exception {
        start(2, Map.of("hardening.webhook.read-timeout", "PT2S"));
        io.vertx.core.http.HttpClient client = WebhookTls.http2Client(vertx);
        HttpClientRequest slow = join(client.request(HttpMethod.POST, server.port(), "localhost", "/validate"));
        CompletableFuture<String> slowAnswer = sendHalf(slow, LEGACY_POD);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.requestsInFlight() == 1);

        assertThat(slowAnswer.get(60, TimeUnit.SECONDS)).isEqualTo("408 request body not received in time\n");
        HttpClientRequest next = join(client.request(HttpMethod.POST, server.port(), "localhost", "/validate"));
        assertThat(next.connection()).as("the same connection").isSameAs(slow.connection());
        assertThat(join(next.send(LEGACY_POD).compose(r -> r.body())).toString()).contains("\"allowed\":false");
    }

    @Test
    void aStopAnswersTheRequestInFlightAndSendsGoAway() throws Exception {
        start(2, Map.of());
        // warm: a first review loads the rules, which on a loaded machine can outlast the stop's deadline
        review(client(Version.HTTP_1_1), LEGACY_POD);
        io.vertx.core.http.HttpClient client = WebhookTls.http2Client(vertx);
        HttpClientRequest inFlight = join(client.request(HttpMethod.POST, server.port(), "localhost", "/validate"));
        CompletableFuture<GoAway> goAway = new CompletableFuture<>();
        inFlight.connection().goAwayHandler(goAway::complete);
        CompletableFuture<String> answer = sendHalf(inFlight, LEGACY_POD);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.requestsInFlight() == 1);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.onStop(null));
        assertThat(goAway.get(30, TimeUnit.SECONDS).getErrorCode()).as("GOAWAY with NO_ERROR").isZero();
        assertThat(server.serving()).isFalse();
        inFlight.end(LEGACY_POD.substring(LEGACY_POD.length() / 2));

        assertThat(answer.get(60, TimeUnit.SECONDS)).startsWith("200 ").contains("\"allowed\":false");
        stopping.get(60, TimeUnit.SECONDS);
        assertThat(server.openConnections()).isZero();
        server = null;
    }

    /** Sends the headers and the first half of the body; the answer as "status body". */
    private static CompletableFuture<String> sendHalf(HttpClientRequest request, String review) {
        request.putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", String.valueOf(review.getBytes(StandardCharsets.UTF_8).length));
        request.write(review.substring(0, review.length() / 2));
        return request.response().compose(r -> r.body().map(b -> r.statusCode() + " " + b))
                .toCompletionStage().toCompletableFuture();
    }

    private static <T> T join(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void start(int eventLoops, Map<String, String> settings) {
        TestPolicyIndex policies = new TestPolicyIndex();
        policies.set("payments", TestPolicies.profile("payments", "strict", Profile.Hardened, RuleMode.Enforce));
        server = new WebhookServer(vertx, new TestTlsMaterialSource(), admission(policies), config(settings), eventLoops);
        server.onStart(null);
        await().until(server::serving);
    }

    /** The real admission, noting the thread each review ran on. */
    private AdmissionService admission(TestPolicyIndex policies) {
        return new AdmissionService(policies, new AdmissionMetrics(registry), config(Map.of())) {
            @Override
            public byte[] handle(byte[] body) throws BadReviewException {
                admissionThreads.add(Thread.currentThread().getName());
                return super.handle(body);
            }
        };
    }

    private static dev.hardening.HardeningConfig config(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("hardening.webhook.port", "0", "hardening.webhook.host", "127.0.0.1"));
        all.putAll(settings);
        return TestConfig.hardening(all);
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + server.port() + path);
    }

    private HttpRequest post(String review) {
        return HttpRequest.newBuilder(uri("/validate")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(review)).build();
    }

    private void review(HttpClient client, String review) throws Exception {
        HttpResponse<String> response = client.send(post(review), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static HttpClient client(Version version) {
        return HttpClient.newBuilder().version(version).sslContext(WebhookTls.trusting(1)).build();
    }
}

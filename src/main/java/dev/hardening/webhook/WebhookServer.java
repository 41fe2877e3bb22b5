package dev.hardening.webhook;

import dev.hardening.HardeningConfig;
import dev.hardening.rules.ObjectReader;
import dev.hardening.tls.SwappableKeyManager;
import dev.hardening.tls.TlsMaterial;
import dev.hardening.tls.TlsMaterialSource;
import dev.hardening.tls.WebhookServingState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static dev.hardening.registration.WebhookConfigurationFactory.PATH;

/**
 * The admission endpoint: {@code POST /validate} over HTTPS only, on its own port, apart from health and metrics
 * (the Quarkus management interface). It starts listening once a serving certificate exists and swaps certificates
 * in place when the Secret changes, so rotation needs no restart and drops no request.
 */
@ApplicationScoped
public class WebhookServer implements WebhookServingState {

    private static final Logger LOG = Logger.getLogger(WebhookServer.class);

    private final Vertx vertx;
    private final TlsMaterialSource tls;
    private final AdmissionService admission;
    private final HardeningConfig.Webhook config;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> fingerprint = new AtomicReference<>();
    private final SwappableKeyManager keyManager = new SwappableKeyManager();
    private final ConnectionGuard connections;
    private final AdmissionMetrics metrics;
    private final int eventLoops;
    private boolean started;
    private volatile long sweepTimer = -1;
    private volatile boolean serving;

    @Inject
    public WebhookServer(Vertx vertx, TlsMaterialSource tls, AdmissionService admission, HardeningConfig config) {
        // as many event loops as the JVM sees processors (-XX:ActiveProcessorCount, the Pod's CPU limit)
        this(vertx, tls, admission, config, Runtime.getRuntime().availableProcessors());
    }

    WebhookServer(Vertx vertx, TlsMaterialSource tls, AdmissionService admission, HardeningConfig config, int eventLoops) {
        this.vertx = vertx;
        this.tls = tls;
        this.admission = admission;
        this.config = config.webhook();
        this.metrics = admission.metrics();
        this.eventLoops = eventLoops;
        this.connections = new ConnectionGuard(this.config.maxConnections(), this.config.idleTimeout(),
                this.config.readTimeout(), System::nanoTime);
    }

    /** Right after the policy index (1100): the port is what admission waits for, the leader work is not. */
    void onStart(@Observes @Priority(1200) StartupEvent event) {
        tls.subscribe(this::onTlsMaterial);
    }

    /**
     * Stops without losing a request: not ready any more, every HTTP/2 connection told GOAWAY and every idle
     * HTTP/1.1 one closed, the requests in flight answered; then the port closes. Bounded by the webhook's
     * timeoutSeconds: the API server gives up on a request after that anyway.
     */
    void onStop(@Observes ShutdownEvent event) {
        serving = false;
        Duration grace = Duration.ofSeconds(Math.max(1, config.timeoutSeconds()));
        try {
            connections.drain(grace).get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("webhook stopping: %d connections still open after %s, closing them", connections.openConnections(), grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warnf("webhook stopping: %s", e.getCause());
        }
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        for (HttpServer running : servers) {
            running.close().toCompletionStage().toCompletableFuture().join();
        }
        servers.clear();
    }

    @Override
    public boolean serving() {
        return serving;
    }

    @Override
    public Optional<String> servedCertificateFingerprint() {
        return serving ? Optional.ofNullable(fingerprint.get()) : Optional.empty();
    }

    /** Connections open on the webhook port now. */
    int openConnections() {
        return connections.openConnections();
    }

    /** Requests whose body is being read now, over all connections and HTTP/2 streams. */
    int requestsInFlight() {
        return connections.requestsInFlight();
    }

    /** How many HTTP servers share the port, each on its own event loop. */
    int eventLoops() {
        return eventLoops;
    }

    /** Actual bound port (differs from the configured one when that is 0, as in tests). */
    public int port() {
        return servers.isEmpty() ? -1 : servers.get(0).actualPort();
    }

    private synchronized void onTlsMaterial(TlsMaterial material) {
        String newFingerprint = material.leafFingerprint();
        try {
            // swapped in place: Vert.x updateSSLOptions refuses connections while it rebuilds the SSL context
            keyManager.update(material);
        } catch (IllegalArgumentException e) {
            LOG.errorf("webhook certificate reload failed, still serving the previous one: %s", e.getMessage());
            return;
        }
        if (!started) {
            started = true;
            start(newFingerprint);
            return;
        }
        fingerprint.set(newFingerprint);
        LOG.infof("webhook serving certificate reloaded (sha256 %s)", newFingerprint);
    }

    /**
     * One HTTP server per event loop, all on the same port: Vert.x accepts on one and hands the connections to the
     * servers in turn, so admission uses every core. The key manager, the connection guard, the admission service and
     * its metrics are shared and thread-safe.
     */
    private void start(String newFingerprint) {
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(keyManager))
                // h2 first: the API server then multiplexes its reviews over one connection instead of one
                // connection (and one TLS handshake) per concurrent review
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setInitialSettings(new Http2Settings()
                        .setMaxConcurrentStreams(ConnectionGuard.STREAMS_PER_CONNECTION)
                        .setMaxHeaderListSize(8192))
                .setCompressionSupported(false)
                .setMaxInitialLineLength(4096)
                .setSslHandshakeTimeout(config.readTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        // a negative port is Vert.x's "one random port shared by the servers that name it" (port 0 in tests)
        int port = config.port() == 0 ? -1 : config.port();
        vertx.deployVerticle(() -> new Listener(options, port), new DeploymentOptions().setInstances(eventLoops))
                .onSuccess(id -> {
                    sweepTimer = vertx.setPeriodic(connections.sweepPeriod().toMillis(), t -> connections.sweep());
                    fingerprint.set(newFingerprint);
                    serving = true;
                    LOG.infof("webhook serving https (h2, http/1.1) on %s:%d%s with %d event loops (certificate sha256 %s)",
                            config.host(), port(), PATH, eventLoops, newFingerprint);
                    // beside readiness turning UP and reaching the Service's endpoints, not before it: the first review
                    // then finds the model readers built instead of building them on an event loop
                    Thread warmUp = new Thread(ObjectReader::prepare, "admission-warm-up");
                    warmUp.setDaemon(true);
                    warmUp.start();
                })
                .onFailure(e -> {
                    servers.forEach(HttpServer::close);
                    servers.clear();
                    notStarted(); // the next certificate tries again
                    LOG.errorf("webhook cannot listen on %s:%d: %s", config.host(), config.port(), e.getMessage());
                });
    }

    private synchronized void notStarted() {
        started = false;
    }

    /** One server on the event loop of this verticle instance. */
    private final class Listener extends AbstractVerticle {
        private final HttpServerOptions options;
        private final int port;

        Listener(HttpServerOptions options, int port) {
            this.options = options;
            this.port = port;
        }

        @Override
        public void start(Promise<Void> started) {
            HttpServer created = vertx.createHttpServer(options)
                    .connectionHandler(WebhookServer.this::accepted)
                    .requestHandler(WebhookServer.this::handle);
            created.listen(port, config.host()).onSuccess(s -> {
                servers.add(s);
                started.complete();
            }).onFailure(started::fail);
        }
    }

    private void accepted(HttpConnection connection) {
        boolean http2 = isHttp2(connection);
        metrics.connection(http2 ? "h2" : "http/1.1");
        connections.accepted(connection, http2);
    }

    /** HTTP/1.x connections have no SETTINGS: the one way the public API tells the two apart at accept time. */
    private static boolean isHttp2(HttpConnection connection) {
        try {
            connection.settings();
            return true;
        } catch (UnsupportedOperationException http1) {
            return false;
        }
    }

    private void handle(HttpServerRequest request) {
        connections.reading(request);
        if (!PATH.equals(request.path())) {
            connections.idle(request);
            plain(request, 404, "not found: the admission endpoint is POST " + PATH);
            return;
        }
        if (request.method() != HttpMethod.POST) {
            connections.idle(request);
            request.response().putHeader("Allow", "POST");
            plain(request, 405, "method not allowed: use POST");
            return;
        }
        int limit = config.maxBodyBytes();
        String length = request.getHeader("Content-Length");
        if (length != null && tooLarge(length, limit)) {
            rejectTooLarge(request, limit);
            return;
        }
        Body body = new Body();
        request.handler(chunk -> {
            if (request.response().ended()) {
                return; // answered early (408 on an HTTP/2 stream): the rest is discarded
            }
            if (body.length() + chunk.length() > limit) {
                rejectTooLarge(request, limit);
                return;
            }
            body.add(chunk);
        });
        request.endHandler(end -> {
            connections.idle(request);
            if (!request.response().ended()) {
                answer(request, body.bytes());
            }
        });
    }

    /**
     * The request body, allocated as bytes arrive, never from the client's Content-Length: a claim costs the client
     * nothing. The first chunk is kept as it is (a review usually arrives whole); later ones grow one copy.
     */
    private static final class Body {
        private Buffer bytes;
        private boolean copied;

        int length() {
            return bytes == null ? 0 : bytes.length();
        }

        void add(Buffer chunk) {
            if (bytes == null) {
                bytes = chunk;
                return;
            }
            if (!copied) {
                bytes = Buffer.buffer(2 * (bytes.length() + chunk.length())).appendBuffer(bytes);
                copied = true;
            }
            bytes.appendBuffer(chunk);
        }

        Buffer bytes() {
            return bytes == null ? Buffer.buffer() : bytes;
        }
    }

    /**
     * Answers 413 at once, before the body is read. The rest of the body is discarded, not buffered, so that the
     * client can read the answer. HTTP/1.1: the connection closes after the body, and a client that keeps sending far
     * beyond the limit is cut off. HTTP/2: the stream's rest is discarded as well, and a stream that sends far beyond
     * the limit is reset with NO_ERROR (RFC 9113 8.1); the connection's other streams go on.
     */
    private void rejectTooLarge(HttpServerRequest request, int limit) {
        if (request.response().ended()) {
            return;
        }
        connections.idle(request);
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        if (!http2) {
            request.response().putHeader("Connection", "close");
        }
        plain(request, 413, "request body larger than " + limit + " bytes");
        long[] discarded = {0};
        request.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > 4L * limit) {
                // far beyond the limit: cut off (HTTP/2: this stream only)
                if (http2) {
                    request.response().reset(0);
                } else {
                    request.connection().close();
                }
            }
        });
        // An HTTP/2 stream is not reset at once: the JDK's client, still sending, then lost the answer it had been
        // given (a request timeout instead of the 413, one run in two under load).
        if (!http2) {
            request.endHandler(end -> request.connection().close());
        }
    }

    private void answer(HttpServerRequest request, Buffer body) {
        byte[] reply;
        try {
            reply = admission.handle(body.getBytes());
        } catch (BadReviewException e) {
            plain(request, 400, "bad AdmissionReview: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            // the stack trace goes to the log only: responses never carry internals
            LOG.error("admission review failed", e);
            plain(request, 500, "internal error while reviewing the request; see the operator log");
            return;
        }
        request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(Buffer.buffer(reply));
        closeIfDraining(request);
    }

    /** While stopping, an HTTP/1.1 connection closes after its answer (HTTP/2 ones were told GOAWAY). */
    private void closeIfDraining(HttpServerRequest request) {
        if (connections.draining() && request.version() != HttpVersion.HTTP_2) {
            request.connection().close();
        }
    }

    private static boolean tooLarge(String contentLength, int limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private void plain(HttpServerRequest request, int status, String message) {
        request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
        closeIfDraining(request);
    }
}

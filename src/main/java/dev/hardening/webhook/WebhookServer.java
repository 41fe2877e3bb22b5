package dev.hardening.webhook;

import dev.hardening.HardeningConfig;
import dev.hardening.tls.SwappableKeyManager;
import dev.hardening.tls.TlsMaterial;
import dev.hardening.tls.TlsMaterialSource;
import dev.hardening.tls.WebhookServingState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    private final AtomicReference<HttpServer> server = new AtomicReference<>();
    private final AtomicReference<String> fingerprint = new AtomicReference<>();
    private final SwappableKeyManager keyManager = new SwappableKeyManager();
    private final ConnectionGuard connections;
    private volatile long sweepTimer = -1;
    private volatile boolean serving;

    public WebhookServer(Vertx vertx, TlsMaterialSource tls, AdmissionService admission, HardeningConfig config) {
        this.vertx = vertx;
        this.tls = tls;
        this.admission = admission;
        this.config = config.webhook();
        this.connections = new ConnectionGuard(this.config.maxConnections(), this.config.idleTimeout(),
                this.config.readTimeout(), System::nanoTime);
    }

    void onStart(@Observes StartupEvent event) {
        tls.subscribe(this::onTlsMaterial);
    }

    void onStop(@Observes ShutdownEvent event) {
        HttpServer running = server.getAndSet(null);
        serving = false;
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        if (running != null) {
            running.close().toCompletionStage().toCompletableFuture().join();
        }
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

    /** Actual bound port (differs from the configured one when that is 0, as in tests). */
    public int port() {
        HttpServer running = server.get();
        return running == null ? -1 : running.actualPort();
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
        if (server.get() == null) {
            start(KeyCertOptions.wrap(keyManager), newFingerprint);
            return;
        }
        fingerprint.set(newFingerprint);
        LOG.infof("webhook serving certificate reloaded (sha256 %s)", newFingerprint);
    }

    private void start(KeyCertOptions keyCert, String newFingerprint) {
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(keyCert)
                .setHost(config.host())
                .setPort(config.port())
                .setCompressionSupported(false)
                .setMaxInitialLineLength(4096)
                .setSslHandshakeTimeout(config.readTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        HttpServer created = vertx.createHttpServer(options)
                .connectionHandler(connections::accepted)
                .requestHandler(this::handle);
        server.set(created);
        created.listen()
                .onSuccess(s -> {
                    // on the listener's event loop, which is also its connections' (one server instance)
                    sweepTimer = vertx.setPeriodic(connections.sweepPeriod().toMillis(), id -> connections.sweep());
                    fingerprint.set(newFingerprint);
                    serving = true;
                    LOG.infof("webhook serving https on %s:%d%s (certificate sha256 %s)", config.host(), s.actualPort(), PATH, newFingerprint);
                })
                .onFailure(e -> {
                    server.set(null);
                    LOG.errorf("webhook cannot listen on %s:%d: %s", config.host(), config.port(), e.getMessage());
                });
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
     * client can read the answer; a client that keeps sending far beyond the limit is cut off.
     */
    private static void rejectTooLarge(HttpServerRequest request, int limit) {
        if (request.response().ended()) {
            return;
        }
        request.response().putHeader("Connection", "close");
        plain(request, 413, "request body larger than " + limit + " bytes");
        long[] discarded = {0};
        request.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > 4L * limit) {
                request.connection().close();
            }
        });
        request.endHandler(end -> request.connection().close());
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
    }

    private static boolean tooLarge(String contentLength, int limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static void plain(HttpServerRequest request, int status, String message) {
        request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
}

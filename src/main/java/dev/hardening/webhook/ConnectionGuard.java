package dev.hardening.webhook;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps slow and idle clients from starving admission on the webhook port, which every Pod can reach by default.
 * <ul>
 * <li>A connection that has no request in flight (just opened, or between keep-alive requests, or sending its
 * headers byte by byte) is closed after the idle timeout.</li>
 * <li>A request whose body has not fully arrived within the read timeout of its headers gets 408: on HTTP/1.1 its
 * connection is closed, on HTTP/2 only its stream is reset (the connection's other streams go on).</li>
 * <li>At most {@code max} connections are open. A new connection beyond that is not refused: it closes an older
 * one that is doing nothing useful (see {@link #evictOne()}), so hoarded connections cannot lock the API server
 * out, and memory stays bounded.</li>
 * <li>At most {@code max} requests are being read at once, over all connections: an HTTP/2 connection carries up to
 * {@link #STREAMS_PER_CONNECTION} streams, so connections alone no longer bound the bodies held. A request beyond
 * that times out the one read the longest (408).</li>
 * </ul>
 * A request that has arrived is answered in the same event-loop turn, so there is no "busy" request to protect.
 * The clock is checked by a sweep every {@link #sweepPeriod()}, not by a timer per request: nothing on the
 * admission path beyond a map write. Connections live on several event loops; what the sweep or an eviction does to
 * a connection runs on that connection's own event loop.
 */
final class ConnectionGuard {

    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class);
    private static final long REPORT_EVERY = Duration.ofMinutes(1).toNanos();
    static final long FRESH_NANOS = Duration.ofMillis(500).toNanos();
    /**
     * A body still arriving this long after its headers is late. A review's body follows its headers in the same
     * TLS record or the next one, so a request younger than this is being read right now, not stalled.
     */
    static final long LATE_NANOS = Duration.ofMillis(100).toNanos();
    /** SETTINGS_MAX_CONCURRENT_STREAMS of an HTTP/2 connection: the smallest value RFC 9113 recommends. */
    static final int STREAMS_PER_CONNECTION = 100;
    /** RST_STREAM code after a complete early answer (413, 408): the client may stop sending (RFC 9113 8.1). */
    private static final long NO_ERROR = 0;

    private final int max;
    private final long idleNanos;
    private final long readNanos;
    private final LongSupplier nanoClock;
    private final Map<HttpConnection, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicInteger reading = new AtomicInteger();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong idleClosed = new AtomicLong();
    private final AtomicLong slowClosed = new AtomicLong();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile Duration drainGrace;
    private volatile long lastReport;

    ConnectionGuard(int max, Duration idleTimeout, Duration readTimeout, LongSupplier nanoClock) {
        this.max = max;
        this.idleNanos = idleTimeout.toNanos();
        this.readNanos = readTimeout.toNanos();
        this.nanoClock = nanoClock;
        this.lastReport = nanoClock.getAsLong();
    }

    /** How often {@link #sweep()} should run: often enough that a timeout is late by at most a quarter. */
    Duration sweepPeriod() {
        long shortest = Math.min(idleNanos, readNanos);
        return Duration.ofNanos(Math.max(Duration.ofMillis(50).toNanos(), Math.min(shortest / 4, Duration.ofSeconds(1).toNanos())));
    }

    int openConnections() {
        return open.size();
    }

    /** Requests whose body is being read now, over all connections and streams. */
    int requestsInFlight() {
        return reading.get();
    }

    /** A TLS connection was established (on its own event loop): make room if needed, then track it. */
    void accepted(HttpConnection connection, boolean http2) {
        while (open.size() >= max && evictOne()) {
            evicted.incrementAndGet();
        }
        Tracked tracked = new Tracked(nanoClock.getAsLong(), http2, Vertx.currentContext());
        open.put(connection, tracked);
        connection.closeHandler(closed -> untrack(connection));
        if (drainGrace != null) {
            goAway(connection, tracked);
        }
    }

    /** The headers of a request arrived; its body is being read. */
    void reading(HttpServerRequest request) {
        Tracked tracked = open.get(request.connection());
        if (tracked == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        // since before the request: a sweep in between must not judge a fresh request by the old time
        tracked.since = now;
        tracked.requests.put(request, now);
        int inFlight = reading.incrementAndGet();
        if (open.get(request.connection()) != tracked) {
            // evicted meanwhile from another event loop: whoever removes the request counts it down, once
            forget(tracked, request);
            return;
        }
        if (inFlight > max) {
            timeOutLongestRead();
        }
    }

    /** The request was read (and is answered now, or was refused): its connection may wait for the next one. */
    void idle(HttpServerRequest request) {
        Tracked tracked = open.get(request.connection());
        if (tracked == null) {
            return;
        }
        forget(tracked, request);
        tracked.since = nanoClock.getAsLong();
        tracked.served = true;
    }

    /** Whether the server is stopping: an HTTP/1.1 answer then closes its connection. */
    boolean draining() {
        return drainGrace != null;
    }

    /**
     * Stops the connections without losing a request: HTTP/2 ones get GOAWAY (the client opens no new stream on
     * them, the streams in flight are answered, then they close, at the latest after {@code grace}); HTTP/1.1 ones
     * that wait between requests are closed, the others after their answer. Connections accepted from now on are
     * treated the same. Completes when none is open.
     */
    CompletableFuture<Void> drain(Duration grace) {
        drainGrace = grace;
        open.forEach(this::goAway);
        if (open.isEmpty()) {
            drained.complete(null);
        }
        return drained;
    }

    private void goAway(HttpConnection connection, Tracked tracked) {
        if (tracked.http2) {
            onLoopOf(tracked, () -> {
                // GOAWAY, then closed once its last stream is answered (the drain's deadline bounds the wait)
                connection.shutdownHandler(v -> connection.close());
                connection.goAway(NO_ERROR);
            });
        } else if (tracked.requests.isEmpty()) {
            close(connection);
        }
    }

    /** Closes what outlived its timeout. */
    void sweep() {
        long now = nanoClock.getAsLong();
        open.forEach((connection, tracked) -> {
            if (tracked.requests.isEmpty()) {
                if (now - tracked.since > idleNanos) {
                    idleClosed.incrementAndGet();
                    close(connection);
                }
                return;
            }
            tracked.requests.forEach((request, started) -> {
                if (now - started > readNanos) {
                    slowClosed.incrementAndGet();
                    timeOut(connection, tracked, request);
                }
            });
        });
        if (now - lastReport >= REPORT_EVERY) {
            lastReport = now;
            report();
        }
    }

    private void report() {
        long e = evicted.getAndSet(0);
        long i = idleClosed.getAndSet(0);
        long s = slowClosed.getAndSet(0);
        if (e > 0) {
            LOG.warnf("webhook port: %d connections evicted at the limit of %d in the last minute (and %d idle, %d slow "
                    + "ones closed); a client is opening connections it does not use", e, max, i, s);
        } else if (s > 0) {
            LOG.infof("webhook port: %d requests whose body did not arrive in time closed in the last minute", s);
        }
    }

    /**
     * Closes, oldest first, a connection that never sent a request, else one whose body is late (still arriving
     * {@link #LATE_NANOS} after its headers), else one idle between requests, else one accepted less than
     * {@link #FRESH_NANOS} ago that has not sent yet, else one whose request is being read right now. The API
     * server's keep-alive connections have served requests, so hoarded unused ones go first; the API server's fresh
     * one, about to send its request, and its busy one, whose streams arrive in microseconds, go last: a burst of
     * new connections must not answer 408 to reviews that are arriving on time.
     */
    private boolean evictOne() {
        Map.Entry<HttpConnection, Tracked> victim = null;
        int victimRank = Integer.MAX_VALUE;
        long now = nanoClock.getAsLong();
        for (Map.Entry<HttpConnection, Tracked> entry : open.entrySet()) {
            Tracked t = entry.getValue();
            // one just accepted has had no time to send its request (the API server sends it right after the
            // handshake): last, or a burst of new connections could close the API server's before it is read
            int rank = rank(t, now);
            if (rank < victimRank || rank == victimRank && t.since < victim.getValue().since) {
                victim = entry;
                victimRank = rank;
            }
        }
        if (victim == null) {
            return false;
        }
        HttpConnection connection = victim.getKey();
        Tracked tracked = victim.getValue();
        List<HttpServerRequest> late = List.copyOf(tracked.requests.keySet());
        untrack(connection);
        onLoopOf(tracked, () -> {
            late.forEach(request -> answer408(request, tracked.http2));
            connection.close();
        });
        return true;
    }

    private static int rank(Tracked t, long now) {
        if (!t.requests.isEmpty()) {
            long oldest = t.requests.values().stream().mapToLong(Long::longValue).min().orElse(now);
            return now - oldest >= LATE_NANOS ? 1 : 4;
        }
        if (t.served) {
            return 2;
        }
        return now - t.since < FRESH_NANOS ? 3 : 0;
    }

    private void timeOutLongestRead() {
        HttpConnection oldestConnection = null;
        Tracked oldestTracked = null;
        HttpServerRequest oldest = null;
        long oldestStart = Long.MAX_VALUE;
        for (Map.Entry<HttpConnection, Tracked> entry : open.entrySet()) {
            for (Map.Entry<HttpServerRequest, Long> request : entry.getValue().requests.entrySet()) {
                if (request.getValue() < oldestStart) {
                    oldestStart = request.getValue();
                    oldest = request.getKey();
                    oldestConnection = entry.getKey();
                    oldestTracked = entry.getValue();
                }
            }
        }
        if (oldest != null) {
            timeOut(oldestConnection, oldestTracked, oldest);
        }
    }

    /** 408 for a request whose body is late: HTTP/1.1 closes the connection, HTTP/2 only the stream. */
    private void timeOut(HttpConnection connection, Tracked tracked, HttpServerRequest request) {
        if (!tracked.http2) {
            untrack(connection);
            onLoopOf(tracked, () -> {
                answer408(request, false);
                connection.close();
            });
            return;
        }
        forget(tracked, request);
        onLoopOf(tracked, () -> answer408(request, true));
    }

    private static void answer408(HttpServerRequest request, boolean http2) {
        if (request.response().ended()) {
            return;
        }
        if (!http2) {
            request.response().putHeader("Connection", "close");
        }
        request.response().setStatusCode(408).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("request body not received in time\n");
        if (http2) {
            request.response().reset(NO_ERROR);
        }
    }

    private void close(HttpConnection connection) {
        Tracked tracked = untrack(connection);
        if (tracked != null) {
            onLoopOf(tracked, connection::close);
        }
    }

    /** Untracked at once: the close handler runs later, and the slot is needed now. */
    private Tracked untrack(HttpConnection connection) {
        Tracked tracked = open.remove(connection);
        if (tracked != null) {
            tracked.requests.keySet().forEach(request -> forget(tracked, request));
        }
        if (drainGrace != null && open.isEmpty()) {
            drained.complete(null);
        }
        return tracked;
    }

    private void forget(Tracked tracked, HttpServerRequest request) {
        if (tracked.requests.remove(request) != null) {
            reading.decrementAndGet();
        }
    }

    private static void onLoopOf(Tracked tracked, Runnable action) {
        if (tracked.context == null || tracked.context == Vertx.currentContext()) {
            action.run();
        } else {
            tracked.context.runOnContext(v -> action.run());
        }
    }

    /** Written on the connection's event loop, read by the sweep and by evictions from other event loops. */
    private static final class Tracked {
        final boolean http2;
        final Context context;
        /** Requests whose body is being read, with the time their headers arrived: at most one on HTTP/1.1. */
        final Map<HttpServerRequest, Long> requests = new ConcurrentHashMap<>(2);
        volatile long since;
        volatile boolean served;

        Tracked(long since, boolean http2, Context context) {
            this.since = since;
            this.http2 = http2;
            this.context = context;
        }
    }
}

package dev.hardening.webhook;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keeps slow and idle clients from starving admission on the webhook port, which every Pod can reach by default.
 * <ul>
 * <li>A connection that has no request in flight (just opened, or between keep-alive requests, or sending its
 * headers byte by byte) is closed after the idle timeout.</li>
 * <li>A request whose body has not fully arrived within the read timeout of its headers gets 408 and is closed.</li>
 * <li>At most {@code max} connections are open. A new connection beyond that is not refused: it closes an older
 * one that is doing nothing useful (see {@link #evictOne()}), so hoarded connections cannot lock the API server
 * out, and memory stays bounded.</li>
 * </ul>
 * A request that has arrived is answered in the same event-loop turn, so there is no "busy" connection to protect.
 * The clock is checked by a sweep every {@link #sweepPeriod()}, not by a timer per request: nothing on the
 * admission path beyond two field writes.
 */
final class ConnectionGuard {

    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class);
    private static final long REPORT_EVERY = Duration.ofMinutes(1).toNanos();
    static final long FRESH_NANOS = Duration.ofMillis(500).toNanos();

    private final int max;
    private final long idleNanos;
    private final long readNanos;
    private final LongSupplier nanoClock;
    private final Map<HttpConnection, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong idleClosed = new AtomicLong();
    private final AtomicLong slowClosed = new AtomicLong();
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

    /** A TLS connection was established: make room if needed, then track it. */
    void accepted(HttpConnection connection) {
        while (open.size() >= max && evictOne()) {
            evicted.incrementAndGet();
        }
        open.put(connection, new Tracked(nanoClock.getAsLong()));
        connection.closeHandler(closed -> open.remove(connection));
    }

    /** The headers of a request arrived; its body is being read. */
    void reading(HttpServerRequest request) {
        Tracked tracked = open.get(request.connection());
        if (tracked != null) {
            // since before request: a sweep in between must not judge a fresh request by the old time
            tracked.since = nanoClock.getAsLong();
            tracked.request = request;
        }
    }

    /** The request was read (and is answered now, or was refused): the connection waits for the next one. */
    void idle(HttpServerRequest request) {
        Tracked tracked = open.get(request.connection());
        if (tracked != null) {
            tracked.since = nanoClock.getAsLong();
            tracked.served = true;
            tracked.request = null;
        }
    }

    /** Closes what outlived its timeout. */
    void sweep() {
        long now = nanoClock.getAsLong();
        open.forEach((connection, tracked) -> {
            HttpServerRequest request = tracked.request;
            long waited = now - tracked.since;
            if (request == null && waited > idleNanos) {
                idleClosed.incrementAndGet();
                close(connection, null);
            } else if (request != null && waited > readNanos) {
                slowClosed.incrementAndGet();
                close(connection, request);
            }
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
     * Closes, oldest first, a connection that never sent a request, else one whose body is late, else one idle
     * between requests, else one accepted less than {@link #FRESH_NANOS} ago that has not sent yet. The API server's
     * keep-alive connections have served requests, so hoarded unused ones go first; and the API server's fresh one,
     * about to send its request, goes last.
     */
    private boolean evictOne() {
        Map.Entry<HttpConnection, Tracked> victim = null;
        int victimRank = Integer.MAX_VALUE;
        long now = nanoClock.getAsLong();
        for (Map.Entry<HttpConnection, Tracked> entry : open.entrySet()) {
            Tracked t = entry.getValue();
            // one just accepted has had no time to send its request (the API server sends it right after the
            // handshake): last, or a burst of new connections could close the API server's before it is read
            int rank = t.request != null ? 1 : t.served ? 2 : now - t.since < FRESH_NANOS ? 3 : 0;
            if (rank < victimRank || rank == victimRank && t.since < victim.getValue().since) {
                victim = entry;
                victimRank = rank;
            }
        }
        if (victim == null) {
            return false;
        }
        close(victim.getKey(), victim.getValue().request);
        return true;
    }

    private void close(HttpConnection connection, HttpServerRequest slowRequest) {
        // untracked at once: the close handler runs later, and the slot is needed now
        open.remove(connection);
        if (slowRequest != null && !slowRequest.response().ended()) {
            slowRequest.response().setStatusCode(408).putHeader("Connection", "close")
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("request body not received in time\n");
        }
        connection.close();
    }

    /** Written on the connection's event loop, read by the sweep. */
    private static final class Tracked {
        volatile long since;
        volatile HttpServerRequest request;
        volatile boolean served;

        Tracked(long since) {
            this.since = since;
        }
    }
}

package dev.hardening.webhook;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which connection the bound closes, on a clock the test moves. HostileClientsTest shows the same through a real
 * server; here the order is exact, including the race it cannot provoke at will: connections accepted after the API
 * server's fresh one, before its request was read.
 */
class ConnectionGuardTest {

    final AtomicLong clock = new AtomicLong();
    final ConnectionGuard guard = new ConnectionGuard(3, Duration.ofMinutes(10), Duration.ofMinutes(10), clock::get);
    final List<Connection> closed = new ArrayList<>();

    @Test
    void anUnusedConnectionGoesFirstThenASlowBodyThenAnIdleKeepAlive() {
        Connection slow = accept("slow");
        guard.reading(slow.request());
        Connection keptAlive = accept("kept-alive");
        guard.reading(keptAlive.request());
        guard.idle(keptAlive.request());
        Connection unused = accept("unused");
        later(Duration.ofSeconds(1));

        Connection a = accept("a");
        assertThat(closed).containsExactly(unused);
        guard.reading(a.request());
        guard.idle(a.request());
        later(Duration.ofSeconds(1));
        accept("b");
        assertThat(closed).containsExactly(unused, slow);
    }

    @Test
    void aConnectionJustAcceptedIsClosedLastSoTheApiServersRequestIsRead() {
        Connection slow1 = accept("slow-1");
        guard.reading(slow1.request());
        later(Duration.ofMillis(1));
        Connection slow2 = accept("slow-2");
        guard.reading(slow2.request());
        later(Duration.ofSeconds(1));
        Connection apiServer = accept("api-server");

        // a burst of new connections before the API server's request arrived
        later(Duration.ofMillis(10));
        accept("burst-1");
        later(Duration.ofMillis(10));
        accept("burst-2");

        assertThat(closed).containsExactly(slow1, slow2);
        assertThat(apiServer.closed).isFalse();
        assertThat(guard.openConnections()).isEqualTo(3);
    }

    @Test
    void aStreamBeingReadNowIsClosedLastEvenAfterAFreshConnectionSoABurstAnswersNoReviewWith408() {
        Connection keptAlive = accept("kept-alive");
        guard.reading(keptAlive.request());
        guard.idle(keptAlive.request());
        Connection apiServer = accept("api-server", true);
        Stream review = reading(apiServer);
        later(Duration.ofMillis(1));
        Connection fresh = accept("fresh");

        // a burst of new connections while the review's body arrives (what failed SecretRotationTlsTest in CI)
        later(Duration.ofMillis(1));
        accept("burst-1");
        later(Duration.ofMillis(1));
        accept("burst-2");

        assertThat(closed).containsExactly(keptAlive, fresh);
        assertThat(review.answered).isEmpty();
        assertThat(apiServer.closed).isFalse();

        // the same stream, still not read a moment later, is a slow body: it goes before the burst's fresh connections
        later(Duration.ofNanos(ConnectionGuard.LATE_NANOS));
        accept("burst-3");
        assertThat(closed).containsExactly(keptAlive, fresh, apiServer);
        assertThat(review.answered).containsExactly(408, "reset");
    }

    @Test
    void aFreshConnectionThatNeverSendsLosesItsProtection() {
        Connection hoarded = accept("hoarded");
        Connection slow = accept("slow");
        guard.reading(slow.request());
        later(Duration.ofMillis(1));
        accept("other");
        later(Duration.ofNanos(ConnectionGuard.FRESH_NANOS));

        accept("next");
        assertThat(closed).containsExactly(hoarded);
    }

    @Test
    void beyondTheBoundOfRequestsInFlightTheLongestReadHttp2StreamAloneTimesOut() {
        Stream first = reading(accept("api-server", true));
        later(Duration.ofMillis(1));
        Connection hoarder = accept("hoarder", true);
        List<Stream> hoarded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hoarded.add(reading(hoarder));
            later(Duration.ofMillis(1));
        }

        assertThat(first.answered).as("read the longest").containsExactly(408, "reset");
        assertThat(hoarded).allSatisfy(stream -> assertThat(stream.answered).isEmpty());
        assertThat(closed).as("HTTP/2: only the stream, not the connection").isEmpty();
        assertThat(guard.requestsInFlight()).isEqualTo(3);
    }

    @Test
    void aLateHttp2StreamTimesOutWhileItsConnectionStaysOpen() {
        Connection apiServer = accept("api-server", true);
        Stream late = reading(apiServer);
        later(Duration.ofMinutes(5));
        guard.idle(reading(apiServer).request);
        later(Duration.ofMinutes(6));

        guard.sweep();

        assertThat(late.answered).containsExactly(408, "reset");
        assertThat(apiServer.closed).isFalse();
        assertThat(guard.requestsInFlight()).isZero();
    }

    private void later(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    private Connection accept(String name) {
        return accept(name, false);
    }

    private Connection accept(String name, boolean http2) {
        Connection c = new Connection(name);
        guard.accepted(c.proxy, http2);
        return c;
    }

    /** A new stream on {@code connection} whose headers arrived. */
    private Stream reading(Connection connection) {
        Stream stream = connection.stream();
        guard.reading(stream.request);
        return stream;
    }

    /** An HTTP/2 stream whose body is still arriving: records the 408 and the reset the guard answers it with. */
    static final class Stream {
        final List<Object> answered = new ArrayList<>();
        HttpServerRequest request;
    }

    /** An HttpConnection that records its close; nothing else of it is used by the guard. */
    final class Connection {
        final String name;
        final HttpConnection proxy;
        boolean closed;

        Connection(String name) {
            this.name = name;
            this.proxy = (HttpConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{HttpConnection.class}, (self, method, args) -> switch (method.getName()) {
                        case "close" -> {
                            this.closed = true;
                            ConnectionGuardTest.this.closed.add(this);
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        case "toString" -> name;
                        default -> method.getReturnType().isInstance(self) ? self : null;
                    });
        }

        private HttpServerRequest request;

        /**
         * The request on this connection whose response has ended (no 408 to write): one object, as the server passes
         * the same request when its headers arrive and when it was read.
         */
        HttpServerRequest request() {
            if (request == null) {
                request = newRequest();
            }
            return request;
        }

        private HttpServerRequest newRequest() {
            return requestWith((HttpServerResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{HttpServerResponse.class}, (self, method, args) ->
                            method.getName().equals("ended") ? Boolean.TRUE : null));
        }

        private HttpServerRequest requestWith(HttpServerResponse response) {
            return (HttpServerRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{HttpServerRequest.class}, (self, method, args) -> switch (method.getName()) {
                        case "connection" -> proxy;
                        case "response" -> response;
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        default -> null;
                    });
        }

        Stream stream() {
            Stream stream = new Stream();
            HttpServerResponse response = (HttpServerResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{HttpServerResponse.class}, (self, method, args) -> switch (method.getName()) {
                        case "ended" -> stream.answered.contains(408);
                        case "setStatusCode" -> {
                            stream.answered.add(args[0]);
                            yield self;
                        }
                        case "reset" -> {
                            stream.answered.add("reset");
                            yield true;
                        }
                        default -> method.getReturnType().isInstance(self) ? self : null;
                    });
            stream.request = requestWith(response);
            return stream;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

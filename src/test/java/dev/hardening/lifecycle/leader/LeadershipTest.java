package dev.hardening.lifecycle.leader;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Leader work follows the Lease, in order, whenever it was registered, and one failing piece stops no other. */
class LeadershipTest {

    private final Leadership leadership = new Leadership();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        leadership.close();
    }

    private LeaderWork recording(String name) {
        return new LeaderWork() {
            @Override
            public void startLeading() {
                log.add(name + " start");
            }

            @Override
            public void stopLeading() {
                log.add(name + " stop");
            }
        };
    }

    private void awaitLog(String... expected) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log).containsExactly(expected));
    }

    @Test
    void workStartsOnGainAndStopsOnLossEveryTime() {
        leadership.register(recording("status"));
        assertThat(leadership.leading()).isFalse();

        leadership.gained();
        assertThat(leadership.leading()).isTrue();
        leadership.lost();
        assertThat(leadership.leading()).isFalse();
        leadership.gained();

        awaitLog("status start", "status stop", "status start");
    }

    @Test
    void workRegisteredWhileLeadingStartsAtOnce() {
        leadership.gained();
        leadership.register(recording("webhook"));
        awaitLog("webhook start");
    }

    @Test
    void repeatedNewsChangesNothing() {
        leadership.register(recording("status"));
        leadership.lost();
        leadership.gained();
        leadership.gained();
        awaitLog("status start");
    }

    @Test
    void oneFailingPieceOfWorkDoesNotStopTheOthers() {
        leadership.register(() -> {
            throw new IllegalStateException("API server unavailable");
        });
        leadership.register(recording("webhook"));
        leadership.gained();
        leadership.lost();
        awaitLog("webhook start", "webhook stop");
    }

    @Test
    void closingStopsTheWorkBeforeItReturns() {
        leadership.register(recording("webhook"));
        leadership.gained();
        leadership.close();
        assertThat(log).containsExactly("webhook start", "webhook stop");
        assertThat(leadership.leading()).isFalse();
    }
}

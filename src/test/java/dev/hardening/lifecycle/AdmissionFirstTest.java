package dev.hardening.lifecycle;

import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.PolicyIndex;
import dev.hardening.tls.TlsMaterial;
import dev.hardening.tls.TlsMaterialSource;
import dev.hardening.tls.WebhookServingState;
import dev.hardening.webhook.TestTlsMaterialSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Leader election and the controllers start once the replica admits, in the order they asked, or at once on a fresh install. */
class AdmissionFirstTest {

    private volatile boolean serving;
    private volatile boolean synced;
    private volatile Optional<TlsMaterial> certificate = Optional.of(TestTlsMaterialSource.material(1));
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final AdmissionFirst gate = new AdmissionFirst(servingState(), index(), tls());

    @AfterEach
    void stop() {
        gate.onStop(new ShutdownEvent());
    }

    @Test
    void startsTheRestOnlyOnceTheWebhookServesAndThePoliciesAreLoaded() {
        gate.onStart(new StartupEvent());
        gate.afterAdmitting("leader election", () -> started.add("leader election"));
        gate.afterAdmitting("controllers", () -> started.add("controllers"));
        serving = true;
        assertThat(started).isEmpty();
        synced = true;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(started)
                .containsExactly("leader election", "controllers"));
        gate.afterAdmitting("late", () -> started.add("late"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(started)
                .containsExactly("leader election", "controllers", "late"));
    }

    @Test
    void withoutACertificateTheLeaderMustIssueOneSoNothingWaits() {
        certificate = Optional.empty();
        gate.onStart(new StartupEvent());
        gate.afterAdmitting("leader election", () -> started.add("leader election"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(started).containsExactly("leader election"));
    }

    @Test
    void aStartThatFailsDoesNotKeepTheNextFromStarting() {
        certificate = Optional.empty();
        gate.afterAdmitting("leader election", () -> {
            throw new IllegalStateException("no client");
        });
        gate.afterAdmitting("controllers", () -> started.add("controllers"));
        gate.onStart(new StartupEvent());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(started).containsExactly("controllers"));
    }

    private WebhookServingState servingState() {
        return new WebhookServingState() {
            @Override
            public boolean serving() {
                return serving;
            }

            @Override
            public Optional<String> servedCertificateFingerprint() {
                return Optional.empty();
            }
        };
    }

    private PolicyIndex index() {
        return new PolicyIndex() {
            @Override
            public List<CompiledPolicy> policiesFor(String namespace) {
                return List.of();
            }

            @Override
            public boolean ready() {
                return synced;
            }
        };
    }

    private TlsMaterialSource tls() {
        return new TlsMaterialSource() {
            @Override
            public Optional<TlsMaterial> current() {
                return certificate;
            }

            @Override
            public void subscribe(Consumer<TlsMaterial> listener) {
                certificate.ifPresent(listener);
            }
        };
    }
}

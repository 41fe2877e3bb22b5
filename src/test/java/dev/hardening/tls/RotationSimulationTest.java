package dev.hardening.tls;

import dev.hardening.tls.RotationAction.Kind;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the leader's loop against a simulated cluster for four years: the Secret changes when the planner says so,
 * the API server sees the caBundle an hour after the Secret changes, and three replicas pick the Secret up after
 * different delays (one of them takes two days). At every simulated hour the certificate each replica serves must be
 * valid and signed by a CA the API server trusts: that is "zero failed admissions during rotation".
 */
class RotationSimulationTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration STEP = Duration.ofHours(1);
    private static final Duration REGISTRATION_LAG = Duration.ofHours(1);
    private static final List<Duration> REPLICA_LAGS = List.of(Duration.ZERO, Duration.ofHours(3), Duration.ofDays(2));
    private static final List<String> NAMES = ServingNames.of("svc", "ns", false, List.of());

    /** Secret versions by the time they were written. */
    private final TreeMap<Instant, CertificateState> secret = new TreeMap<>();

    @Test
    void theApiServerTrustsEveryServedCertificateForFourYears() {
        RotationPlanner planner = new RotationPlanner(Duration.ofMinutes(5));
        RotationExecutor executor = new RotationExecutor(new CertificateIssuer(), Duration.ofDays(730), Duration.ofDays(90));
        Map<Kind, Integer> actions = new EnumMap<>(Kind.class);
        Set<String> caFingerprints = new HashSet<>();
        Optional<CertificateState> state = Optional.empty();

        for (Instant now = START; now.isBefore(START.plus(Duration.ofDays(4 * 365))); now = now.plus(STEP)) {
            RotationAction action = planner.plan(state, registered(now, state), served(now), NAMES, now);
            actions.merge(action.kind(), 1, Integer::sum);
            if (action.changesSecret()) {
                state = Optional.of(executor.apply(state, action, NAMES, now));
                secret.put(now, state.get());
                state.get().trustedCas().forEach(ca -> caFingerprints.add(Pem.fingerprint(ca)));
            }
            if (!now.isBefore(START.plus(Duration.ofDays(3)))) {
                assertEveryServedCertificateIsTrusted(now);
            }
        }

        assertThat(actions.get(Kind.ISSUE)).as("issued from scratch only once").isEqualTo(1);
        assertThat(actions.get(Kind.ADD_CA)).as("CA rotations in four years of a two-year CA").isEqualTo(2);
        assertThat(actions.get(Kind.SWITCH_SERVING)).isEqualTo(2);
        assertThat(actions.get(Kind.DROP_RETIRED_CAS)).isEqualTo(2);
        assertThat(actions.get(Kind.RENEW_SERVING)).as("serving renewals every 60 days").isGreaterThanOrEqualTo(20);
        assertThat(caFingerprints).hasSize(3);
    }

    /** The API server trusts the bundle of the Secret as it was {@link #REGISTRATION_LAG} ago. */
    private List<X509Certificate> registeredBundle(Instant now) {
        Map.Entry<Instant, CertificateState> seen = secret.floorEntry(now.minus(REGISTRATION_LAG));
        return seen == null ? List.of() : seen.getValue().trustedCas();
    }

    private boolean registered(Instant now, Optional<CertificateState> state) {
        return state.isPresent() && registeredBundle(now).containsAll(state.get().trustedCas());
    }

    private Optional<X509Certificate> servedBy(Duration lag, Instant now) {
        Map.Entry<Instant, CertificateState> seen = secret.floorEntry(now.minus(lag));
        return seen == null ? Optional.empty() : Optional.of(seen.getValue().serving().certificate());
    }

    private ServedFingerprints served(Instant now) {
        Set<String> fingerprints = new HashSet<>();
        for (Duration lag : REPLICA_LAGS) {
            Optional<X509Certificate> cert = servedBy(lag, now);
            if (cert.isEmpty()) {
                return ServedFingerprints.unknown();
            }
            fingerprints.add(Pem.fingerprint(cert.get()));
        }
        return new ServedFingerprints(fingerprints, true);
    }

    private void assertEveryServedCertificateIsTrusted(Instant now) {
        List<X509Certificate> trusted = registeredBundle(now);
        List<String> problems = new ArrayList<>();
        for (Duration lag : REPLICA_LAGS) {
            X509Certificate cert = servedBy(lag, now).orElseThrow();
            if (trusted.stream().noneMatch(ca -> CertificateState.signedBy(cert, ca))) {
                problems.add("replica with lag " + lag + " serves a certificate the API server does not trust");
            }
            if (now.isBefore(cert.getNotBefore().toInstant()) || !now.isBefore(cert.getNotAfter().toInstant())) {
                problems.add("replica with lag " + lag + " serves a certificate outside its validity");
            }
        }
        if (!problems.isEmpty()) {
            fail("at " + now + ": " + problems);
        }
    }
}

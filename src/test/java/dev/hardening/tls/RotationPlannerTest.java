package dev.hardening.tls;

import dev.hardening.tls.RotationAction.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RotationPlannerTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration GRACE = Duration.ofMinutes(5);
    static final List<String> NAMES = List.of("svc", "svc.ns", "svc.ns.svc", "svc.ns.svc.cluster.local");
    static final CertificateIssuer ISSUER = new CertificateIssuer();
    static final IssuedCertificate OLD_CA = ISSUER.issueCa("old", T0, Duration.ofDays(730));
    static final IssuedCertificate NEW_CA = ISSUER.issueCa("new", T0.plus(Duration.ofDays(500)), Duration.ofDays(730));
    static final IssuedCertificate SERVING = ISSUER.issueServing(OLD_CA, NAMES, T0, Duration.ofDays(90));
    static final IssuedCertificate NEW_SERVING =
            ISSUER.issueServing(NEW_CA, NAMES, T0.plus(Duration.ofDays(500)), Duration.ofDays(90));
    static final CertificateState STEADY = new CertificateState(List.of(OLD_CA.certificate()), OLD_CA, SERVING, T0);
    static final Instant ADDED = T0.plus(Duration.ofDays(500));
    static final CertificateState OVERLAP =
            new CertificateState(List.of(OLD_CA.certificate(), NEW_CA.certificate()), NEW_CA,
                    ISSUER.issueServing(OLD_CA, NAMES, ADDED.minus(Duration.ofDays(1)), Duration.ofDays(90)), ADDED);
    static final CertificateState SWITCHED =
            new CertificateState(OVERLAP.trustedCas(), NEW_CA, NEW_SERVING, ADDED);

    record Scenario(String name, Optional<CertificateState> state, boolean registered, ServedFingerprints served,
                    List<String> names, Instant now, Kind expected, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static ServedFingerprints serving(String... fingerprints) {
        return new ServedFingerprints(Set.of(fingerprints), true);
    }

    static Stream<Scenario> scenarios() {
        Instant day1 = T0.plus(Duration.ofDays(1));
        Instant day61 = T0.plus(Duration.ofDays(61));
        ServedFingerprints steady = serving(SERVING.fingerprint());
        return Stream.of(
                new Scenario("first start issues everything", Optional.empty(), false, ServedFingerprints.unknown(),
                        NAMES, T0, Kind.ISSUE, "no certificates yet"),
                new Scenario("fresh certificates are left alone", Optional.of(STEADY), true, steady, NAMES, day1,
                        Kind.WAIT, "certificates are current"),
                new Scenario("expired serving certificate is replaced at once", Optional.of(STEADY), true, steady,
                        NAMES, T0.plus(Duration.ofDays(91)), Kind.ISSUE, "serving certificate is not valid now"),
                new Scenario("expired CA is replaced at once", Optional.of(STEADY), true, steady, NAMES,
                        T0.plus(Duration.ofDays(800)), Kind.ISSUE, "signing CA is not valid now"),
                new Scenario("foreign serving certificate is replaced",
                        Optional.of(new CertificateState(List.of(NEW_CA.certificate()), NEW_CA,
                                ISSUER.issueServing(OLD_CA, NAMES, ADDED, Duration.ofDays(90)), T0)), true,
                        steady, NAMES, ADDED.plus(Duration.ofDays(1)), Kind.ISSUE,
                        "serving certificate is not signed by any CA in the bundle"),
                new Scenario("serving certificate renews at two thirds of 90 days", Optional.of(STEADY), true, steady,
                        NAMES, day61, Kind.RENEW_SERVING, "serving certificate reached 2/3 of its lifetime"),
                new Scenario("changed names renew the serving certificate", Optional.of(STEADY), true, steady,
                        List.of("svc", "localhost"), day1, Kind.RENEW_SERVING, "serving certificate names changed"),
                new Scenario("CA at two thirds of its lifetime gets a successor in the bundle",
                        Optional.of(new CertificateState(STEADY.trustedCas(), OLD_CA,
                                ISSUER.issueServing(OLD_CA, NAMES, T0.plus(Duration.ofDays(487)), Duration.ofDays(90)),
                                T0)),
                        true, steady, NAMES, T0.plus(Duration.ofDays(488)), Kind.ADD_CA, "CA reached 2/3 of its lifetime"),
                new Scenario("no switch before the caBundle is registered", Optional.of(OVERLAP), false, steady, NAMES,
                        ADDED.plus(Duration.ofHours(1)), Kind.WAIT, "new CA is not yet in the registered caBundle"),
                new Scenario("no switch within the propagation grace", Optional.of(OVERLAP), true, steady, NAMES,
                        ADDED.plus(Duration.ofMinutes(1)), Kind.WAIT, "giving the API server time to trust the new CA"),
                new Scenario("switch once the API server trusts the new CA", Optional.of(OVERLAP), true, steady, NAMES,
                        ADDED.plus(GRACE), Kind.SWITCH_SERVING, "the API server trusts the new CA"),
                new Scenario("old CA stays while a replica serves the old certificate", Optional.of(SWITCHED), true,
                        serving(SERVING.fingerprint(), NEW_SERVING.fingerprint()), NAMES, ADDED.plus(Duration.ofHours(1)),
                        Kind.WAIT, "waiting for every replica to serve the new certificate"),
                new Scenario("old CA stays while a replica could not be asked", Optional.of(SWITCHED), true,
                        new ServedFingerprints(Set.of(NEW_SERVING.fingerprint()), false), NAMES,
                        ADDED.plus(Duration.ofHours(1)), Kind.WAIT, "waiting for every replica to serve the new certificate"),
                new Scenario("old CA stays while no replica is ready", Optional.of(SWITCHED), true,
                        serving(), NAMES, ADDED.plus(Duration.ofHours(1)), Kind.WAIT,
                        "waiting for every replica to serve the new certificate"),
                new Scenario("old CA leaves once every replica serves the new certificate", Optional.of(SWITCHED), true,
                        serving(NEW_SERVING.fingerprint()), NAMES, ADDED.plus(Duration.ofHours(1)),
                        Kind.DROP_RETIRED_CAS, "every replica serves the new certificate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void plansTheNextStep(Scenario s) {
        RotationAction action = new RotationPlanner(GRACE).plan(s.state(), s.registered(), s.served(), s.names(), s.now());
        assertThat(action).isEqualTo(new RotationAction(s.expected(), s.reason()));
    }
}

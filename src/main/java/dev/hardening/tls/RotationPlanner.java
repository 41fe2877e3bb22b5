package dev.hardening.tls;

import dev.hardening.tls.RotationAction.Kind;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the next step of the self-managed certificate life cycle. Pure: state, observations and clock in,
 * one action out. The order of steps keeps the invariant "the registered caBundle holds the CA of every certificate
 * any replica serves":
 * <ol>
 *   <li>a CA is replaced by first adding the new CA to the bundle ({@link Kind#ADD_CA});</li>
 *   <li>the serving certificate switches to the new CA only once the registered caBundle holds every bundled CA
 *       and {@code propagationGrace} has passed since the bundle changed ({@link Kind#SWITCH_SERVING});</li>
 *   <li>the old CA leaves the bundle only once every ready replica serves a certificate of the new CA
 *       ({@link Kind#DROP_RETIRED_CAS}).</li>
 * </ol>
 * Certificates are renewed at two thirds of their lifetime, which leaves a third (a month for a 90-day serving
 * certificate, eight months for a two-year CA) to notice and fix anything that blocks rotation.
 */
public final class RotationPlanner {

    static final double RENEW_AT = 2.0 / 3.0;

    private final Duration propagationGrace;

    public RotationPlanner(Duration propagationGrace) {
        this.propagationGrace = propagationGrace;
    }

    /**
     * @param state              what the Secret holds; empty when there is no (usable) Secret
     * @param caBundleRegistered the webhook configuration's caBundle holds every CA of {@code state}'s bundle
     * @param served             what the replicas serve right now
     * @param names              the SANs the serving certificate must have
     */
    public RotationAction plan(Optional<CertificateState> state, boolean caBundleRegistered, ServedFingerprints served,
                               List<String> names, Instant now) {
        if (state.isEmpty()) {
            return RotationAction.of(Kind.ISSUE, "no certificates yet");
        }
        CertificateState s = state.get();
        X509Certificate serving = s.serving().certificate();
        X509Certificate signing = s.signingCa().certificate();
        if (!valid(signing, now)) {
            return RotationAction.of(Kind.ISSUE, "signing CA is not valid now");
        }
        if (!valid(serving, now)) {
            return RotationAction.of(Kind.ISSUE, "serving certificate is not valid now");
        }
        if (s.issuerOf(serving).isEmpty()) {
            return RotationAction.of(Kind.ISSUE, "serving certificate is not signed by any CA in the bundle");
        }
        if (!s.servingSignedBySigningCa()) {
            if (!caBundleRegistered) {
                return RotationAction.of(Kind.WAIT, "new CA is not yet in the registered caBundle");
            }
            if (now.isBefore(s.bundleChangedAt().plus(propagationGrace))) {
                return RotationAction.of(Kind.WAIT, "giving the API server time to trust the new CA");
            }
            return RotationAction.of(Kind.SWITCH_SERVING, "the API server trusts the new CA");
        }
        if (!Set.copyOf(CertificateState.subjectAlternativeNames(serving)).equals(Set.copyOf(names))) {
            return RotationAction.of(Kind.RENEW_SERVING, "serving certificate names changed");
        }
        if (due(serving, now)) {
            return RotationAction.of(Kind.RENEW_SERVING, "serving certificate reached 2/3 of its lifetime");
        }
        if (s.trustedCas().size() > 1) {
            if (served.allServe(s.serving().fingerprint())) {
                return RotationAction.of(Kind.DROP_RETIRED_CAS, "every replica serves the new certificate");
            }
            return RotationAction.of(Kind.WAIT, "waiting for every replica to serve the new certificate");
        }
        if (due(signing, now)) {
            return RotationAction.of(Kind.ADD_CA, "CA reached 2/3 of its lifetime");
        }
        return RotationAction.of(Kind.WAIT, "certificates are current");
    }

    private static boolean valid(X509Certificate certificate, Instant now) {
        return !now.isBefore(certificate.getNotBefore().toInstant()) && now.isBefore(certificate.getNotAfter().toInstant());
    }

    static boolean due(X509Certificate certificate, Instant now) {
        Instant from = certificate.getNotBefore().toInstant();
        Instant to = certificate.getNotAfter().toInstant();
        long lifetime = Duration.between(from, to).toSeconds();
        return !now.isBefore(from.plusSeconds((long) (lifetime * RENEW_AT)));
    }
}

package dev.hardening.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Carries out a {@link RotationAction}: the next {@link CertificateState}. Pure apart from key generation. */
public final class RotationExecutor {

    static final String CA_NAME = "hardening-operator-webhook-ca";

    private final CertificateIssuer issuer;
    private final Duration caValidity;
    private final Duration servingValidity;

    public RotationExecutor(CertificateIssuer issuer, Duration caValidity, Duration servingValidity) {
        this.issuer = issuer;
        this.caValidity = caValidity;
        this.servingValidity = servingValidity;
    }

    public CertificateState apply(Optional<CertificateState> current, RotationAction action, List<String> names,
                                  Instant now) {
        if (action.kind() == RotationAction.Kind.WAIT) {
            return current.orElseThrow(() -> new IllegalStateException("nothing to keep"));
        }
        if (action.kind() == RotationAction.Kind.ISSUE || current.isEmpty()) {
            IssuedCertificate ca = issuer.issueCa(CA_NAME, now, caValidity);
            return new CertificateState(List.of(ca.certificate()), ca, serving(ca, names, now), now);
        }
        CertificateState s = current.get();
        return switch (action.kind()) {
            case RENEW_SERVING, SWITCH_SERVING ->
                    new CertificateState(s.trustedCas(), s.signingCa(), serving(s.signingCa(), names, now), s.bundleChangedAt());
            case ADD_CA -> {
                IssuedCertificate ca = issuer.issueCa(CA_NAME, now, caValidity);
                List<X509Certificate> bundle = new ArrayList<>(s.trustedCas());
                bundle.add(ca.certificate());
                yield new CertificateState(bundle, ca, s.serving(), now);
            }
            case DROP_RETIRED_CAS ->
                    new CertificateState(List.of(s.signingCa().certificate()), s.signingCa(), s.serving(), now);
            default -> throw new IllegalStateException("unexpected " + action.kind());
        };
    }

    private IssuedCertificate serving(IssuedCertificate ca, List<String> names, Instant now) {
        return issuer.issueServing(ca, names, now, servingValidity);
    }
}

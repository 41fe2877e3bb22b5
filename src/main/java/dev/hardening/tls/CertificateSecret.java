package dev.hardening.tls;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret in the operator namespace that holds the webhook's TLS material, in the layout cert-manager writes
 * ({@code ca.crt}, {@code tls.crt}, {@code tls.key}), so all three certificate modes read it the same way.
 * Self-managed mode adds {@code ca.key} (the signing CA's key) and annotations recording the rotation state.
 */
public final class CertificateSecret {

    public static final String CA_CRT = "ca.crt";
    public static final String TLS_CRT = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    public static final String CA_KEY = "ca.key";
    /** When {@code ca.crt} last changed: a new CA is only used after the API server had time to trust it. */
    public static final String BUNDLE_CHANGED_AT = "hardening.dev/ca-bundle-changed-at";
    /** The last rotation step and its reason, for humans ({@code kubectl describe secret}). */
    public static final String LAST_ROTATION = "hardening.dev/last-rotation";
    public static final String SERVING_FINGERPRINT = "hardening.dev/serving-sha256";

    private CertificateSecret() {
    }

    /** The material every replica serves, or why it cannot be served. Never quotes key material. */
    public static Result<TlsMaterial> tlsMaterial(Secret secret) {
        Map<String, String> data = decoded(secret);
        String chain = data.get(TLS_CRT);
        String key = data.get(TLS_KEY);
        if (chain == null || key == null) {
            return Result.failure("no " + (chain == null ? TLS_CRT : TLS_KEY));
        }
        TlsMaterial material = new TlsMaterial(chain, key, data.getOrDefault(CA_CRT, ""));
        List<String> problems = TlsMaterialCheck.blockingProblems(material);
        return problems.isEmpty() ? Result.success(material) : Result.failure(String.join("; ", problems));
    }

    /** The self-managed state, if the Secret holds a complete one. */
    public static Optional<CertificateState> state(Secret secret) {
        if (secret == null) {
            return Optional.empty();
        }
        try {
            Map<String, String> data = decoded(secret);
            List<X509Certificate> bundle = Pem.certificates(data.get(CA_CRT));
            PrivateKey caKey = Pem.privateKey(data.get(CA_KEY));
            List<X509Certificate> chain = Pem.certificates(data.get(TLS_CRT));
            PrivateKey servingKey = Pem.privateKey(data.get(TLS_KEY));
            Optional<X509Certificate> signing = bundle.stream()
                    .filter(ca -> TlsMaterialCheck.keyMatches(ca, caKey)).findFirst();
            if (signing.isEmpty() || chain.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new CertificateState(bundle, new IssuedCertificate(signing.get(), caKey),
                    new IssuedCertificate(chain.get(0), servingKey), bundleChangedAt(secret)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static Secret build(String namespace, String name, CertificateState state, RotationAction action,
                               Optional<OwnerReference> owner) {
        TlsMaterial material = state.tlsMaterial();
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA_CRT, base64(material.caBundlePem()));
        data.put(TLS_CRT, base64(material.certificateChainPem()));
        data.put(TLS_KEY, base64(material.privateKeyPem()));
        data.put(CA_KEY, base64(Pem.encode(state.signingCa().key())));
        return new SecretBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .addToLabels("app.kubernetes.io/managed-by", "hardening-operator")
                .addToLabels("app.kubernetes.io/component", "webhook-certificates")
                .addToAnnotations(BUNDLE_CHANGED_AT, state.bundleChangedAt().toString())
                .addToAnnotations(LAST_ROTATION, action.kind() + ": " + action.reason())
                .addToAnnotations(SERVING_FINGERPRINT, state.serving().fingerprint())
                .withOwnerReferences(owner.map(List::of).orElse(List.of()))
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withData(data)
                .build();
    }

    static Instant bundleChangedAt(Secret secret) {
        String value = secret.getMetadata().getAnnotations() == null ? null
                : secret.getMetadata().getAnnotations().get(BUNDLE_CHANGED_AT);
        try {
            return value == null ? Instant.EPOCH : Instant.parse(value);
        } catch (DateTimeParseException e) {
            // unknown: treat the bundle as old, the registration check still guards the switch
            return Instant.EPOCH;
        }
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> out = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> {
                try {
                    out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.US_ASCII));
                } catch (IllegalArgumentException e) {
                    // leave the entry out: it then reads as missing, and the message names the key, not the value
                }
            });
        }
        if (secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** A value or the reason there is none. */
    public record Result<T>(Optional<T> value, String problem) {
        static <T> Result<T> success(T value) {
            return new Result<>(Optional.of(value), "");
        }

        static <T> Result<T> failure(String problem) {
            return new Result<>(Optional.empty(), problem);
        }
    }
}

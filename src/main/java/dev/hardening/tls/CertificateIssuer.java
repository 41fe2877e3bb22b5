package dev.hardening.tls;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Issues the self-managed CA and serving certificates: ECDSA P-256, SHA-256 signatures. Pure apart from randomness:
 * the caller supplies the clock, so rotation can be simulated over years.
 */
public final class CertificateIssuer {

    /** Certificates start slightly in the past so that a replica or API server whose clock lags still accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final byte[] ECDSA_WITH_SHA256 = Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";
    private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final SecureRandom random = new SecureRandom();

    public IssuedCertificate issueCa(String commonName, Instant now, Duration validity) {
        try {
            KeyPair keys = newKeyPair();
            X500Principal subject = new X500Principal("CN=" + commonName + " " + now.getEpochSecond());
            List<byte[]> extensions = List.of(
                    extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true), Der.integer(0))),
                    extension(KEY_USAGE, true, Der.namedBits(KEY_CERT_SIGN, CRL_SIGN)),
                    extension(SUBJECT_KEY_IDENTIFIER, false, Der.octets(keyIdentifier(keys.getPublic()))));
            X509Certificate certificate = sign(subject, notBefore(now), now.plus(validity), subject, keys.getPublic(),
                    extensions, keys.getPrivate());
            return new IssuedCertificate(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot issue CA certificate: " + e.getMessage(), e);
        }
    }

    /** A serving certificate signed by {@code ca}; it never outlives the CA. {@code names} must not be empty. */
    public IssuedCertificate issueServing(IssuedCertificate ca, List<String> names, Instant now, Duration validity) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a serving certificate needs at least one name");
        }
        try {
            KeyPair keys = newKeyPair();
            Instant notAfter = now.plus(validity);
            Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
            if (notAfter.isAfter(caNotAfter)) {
                notAfter = caNotAfter;
            }
            List<byte[]> sans = new ArrayList<>();
            for (String name : names) {
                byte[] ip = ipAddress(name);
                // GeneralName: [7] iPAddress (the address's octets) or [2] dNSName (IA5String), both IMPLICIT
                sans.add(ip != null ? Der.implicit(7, ip) : Der.implicit(2, name.getBytes(StandardCharsets.US_ASCII)));
            }
            List<byte[]> extensions = List.of(
                    extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                    extension(KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE)),
                    extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))),
                    extension(SUBJECT_ALTERNATIVE_NAME, false, Der.sequence(sans)),
                    extension(SUBJECT_KEY_IDENTIFIER, false, Der.octets(keyIdentifier(keys.getPublic()))),
                    // keyIdentifier [0] IMPLICIT: the CA's own subject key identifier
                    extension(AUTHORITY_KEY_IDENTIFIER, false,
                            Der.sequence(Der.implicit(0, authorityKeyIdentifier(ca.certificate())))));
            X509Certificate certificate = sign(ca.certificate().getSubjectX500Principal(), notBefore(now), notAfter,
                    new X500Principal("CN=" + names.get(0)), keys.getPublic(), extensions, ca.key());
            return new IssuedCertificate(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot issue serving certificate: " + e.getMessage(), e);
        }
    }

    private KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static Instant notBefore(Instant now) {
        return now.minus(BACKDATE);
    }

    /** An X.509 v3 certificate (RFC 5280 4.1), signed with ECDSA over SHA-256. */
    private X509Certificate sign(X500Principal issuer, Instant notBefore, Instant notAfter, X500Principal subject,
                                 PublicKey subjectKey, List<byte[]> extensions, PrivateKey signer)
            throws GeneralSecurityException {
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)), // v3
                Der.integer(serial()),
                ECDSA_WITH_SHA256,
                issuer.getEncoded(),
                Der.sequence(Der.time(notBefore.truncatedTo(ChronoUnit.SECONDS)),
                        Der.time(notAfter.truncatedTo(ChronoUnit.SECONDS))),
                subject.getEncoded(),
                subjectKey.getEncoded(), // SubjectPublicKeyInfo
                Der.explicit(3, Der.sequence(extensions)));
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(signer, random);
        signature.update(tbs);
        byte[] certificate = Der.sequence(tbs, ECDSA_WITH_SHA256, Der.bits(signature.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
                : Der.sequence(Der.oid(oid), Der.octets(value));
    }

    /** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits. */
    private static byte[] keyIdentifier(PublicKey key) throws GeneralSecurityException {
        byte[] bitString = Der.parse(key.getEncoded()).children().get(1).contents();
        return MessageDigest.getInstance("SHA-1").digest(Arrays.copyOfRange(bitString, 1, bitString.length));
    }

    /** The CA's subject key identifier as it carries it, or as it would be computed when it carries none. */
    private static byte[] authorityKeyIdentifier(X509Certificate ca) throws GeneralSecurityException {
        byte[] extension = ca.getExtensionValue(SUBJECT_KEY_IDENTIFIER); // OCTET STRING { OCTET STRING keyId }
        return extension == null ? keyIdentifier(ca.getPublicKey())
                : Der.parse(Der.parse(extension).contents()).contents();
    }

    /** The octets of an IPv4 or IPv6 literal, or null for anything else (which is never looked up). */
    private static byte[] ipAddress(String name) {
        if (!IPV4.matcher(name).matches() && !IPV6_CHARACTERS.matcher(name).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(name).getAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }
}

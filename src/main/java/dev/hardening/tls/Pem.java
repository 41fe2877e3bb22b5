package dev.hardening.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text for certificates and private keys (written as PKCS#8; read as PKCS#8, SEC1 or PKCS#1, as cert-manager may
 * write them), and the SHA-256 fingerprints used to compare what replicas serve.
 */
public final class Pem {

    // the first key block; others before it (an openssl "EC PARAMETERS" block, say) are skipped
    private static final Pattern KEY_BLOCK = Pattern.compile(
            "-----BEGIN (PRIVATE KEY|EC PRIVATE KEY|RSA PRIVATE KEY)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final byte[] EC_PUBLIC_KEY = Der.oid("1.2.840.10045.2.1");
    private static final byte[] RSA_ENCRYPTION = Der.oid("1.2.840.113549.1.1.1");
    private static final byte[] RSA_ALGORITHM = Der.sequence(RSA_ENCRYPTION, Der.tlv(Der.NULL));

    private Pem() {
    }

    public static String encode(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    public static String encode(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        certificates.forEach(c -> out.append(encode(c)));
        return out.toString();
    }

    public static String encode(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** Every certificate in {@code pem}, in order; an empty list for blank text. */
    public static List<X509Certificate> certificates(String pem) {
        if (pem == null || pem.isBlank()) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .forEach(c -> out.add((X509Certificate) c));
            return List.copyOf(out);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not PEM certificates: " + e.getMessage());
        }
    }

    /**
     * A private key in PKCS#8 ({@code BEGIN PRIVATE KEY}), SEC1 ({@code BEGIN EC PRIVATE KEY}) or PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}): cert-manager writes SEC1/PKCS#1 unless told otherwise. Messages never quote it.
     */
    public static PrivateKey privateKey(String pem) {
        Matcher block = KEY_BLOCK.matcher(pem == null ? "" : pem);
        if (!block.find()) {
            throw new IllegalArgumentException(
                    "not a PEM private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
        }
        byte[] pkcs8;
        String algorithm;
        try {
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (block.group(1)) {
                case "EC PRIVATE KEY" -> {
                    pkcs8 = pkcs8(ecAlgorithm(der), der);
                    algorithm = "EC";
                }
                case "RSA PRIVATE KEY" -> {
                    Der.parse(der).children(); // a SEQUENCE, or not a key at all
                    pkcs8 = pkcs8(RSA_ALGORITHM, der);
                    algorithm = "RSA";
                }
                default -> {
                    pkcs8 = der;
                    algorithm = algorithm(der);
                }
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a PEM private key");
        }
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported private key (EC or RSA expected)");
        }
        try {
            // the JDK's own EC/RSA key factories: no third-party provider
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported private key (EC or RSA expected)");
        }
    }

    /** PKCS#8 PrivateKeyInfo (RFC 5208): version 0, the algorithm, the key in its own format. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return Der.sequence(Der.integer(0), algorithm, Der.octets(key));
    }

    /** SEC1 ECPrivateKey (RFC 5915) names its curve in [0]; PKCS#8 wants it in the algorithm's parameters. */
    private static byte[] ecAlgorithm(byte[] sec1) {
        for (Der.Element e : Der.parse(sec1).children()) {
            if (e.tag() == 0xA0) {
                return Der.sequence(EC_PUBLIC_KEY, e.children().get(0).encoded());
            }
        }
        throw new IllegalArgumentException("SEC1 key without its curve");
    }

    /** "EC" or "RSA" from a PKCS#8 key's algorithm; null for any other. */
    private static String algorithm(byte[] pkcs8) {
        byte[] oid = Der.parse(pkcs8).children().get(1).children().get(0).encoded();
        return Arrays.equals(oid, EC_PUBLIC_KEY) ? "EC" : Arrays.equals(oid, RSA_ENCRYPTION) ? "RSA" : null;
    }

    /** Lowercase hex SHA-256 of the DER encoding, as {@code openssl x509 -fingerprint -sha256} without colons. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

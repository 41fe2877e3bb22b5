package dev.hardening.tls;

import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateIssuerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final CertificateIssuer issuer = new CertificateIssuer();
    private final IssuedCertificate ca = issuer.issueCa("test-ca", NOW, Duration.ofDays(730));

    @Test
    void inClusterNamesCoverEveryServiceSpelling() {
        assertThat(ServingNames.of("hardening-operator", "hardening-system", false, List.of()))
                .containsExactly("hardening-operator", "hardening-operator.hardening-system",
                        "hardening-operator.hardening-system.svc", "hardening-operator.hardening-system.svc.cluster.local");
    }

    @Test
    void localModeAddsLoopbackAndExtrasComeLastWithoutDuplicates() {
        assertThat(ServingNames.of("svc", "ns", true, List.of("webhook.example.com", " localhost ", "")))
                .containsExactly("svc", "svc.ns", "svc.ns.svc", "svc.ns.svc.cluster.local", "localhost", "127.0.0.1",
                        "webhook.example.com");
    }

    @Test
    void caIsAnEcdsaP256CertificateAuthority() {
        X509Certificate cert = ca.certificate();
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getBasicConstraints()).isEqualTo(0);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(730)));
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(CertificateIssuer.BACKDATE));
        assertThat(ca.key()).isInstanceOf(ECPrivateKey.class);
    }

    @Test
    void servingCertificateCarriesDnsAndIpSansAndIsSignedByTheCa() throws Exception {
        List<String> names = ServingNames.of("svc", "ns", true, List.of("10.0.0.7"));
        IssuedCertificate serving = issuer.issueServing(ca, names, NOW, Duration.ofDays(90));
        X509Certificate cert = serving.certificate();

        assertThat(CertificateState.subjectAlternativeNames(cert)).containsExactlyElementsOf(names);
        assertThat(cert.getSubjectAlternativeNames()).anySatisfy(san -> {
            assertThat(san.get(0)).isEqualTo(7); // iPAddress, not a DNS name that looks like one
            assertThat(san.get(1)).isEqualTo("127.0.0.1");
        });
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(90)));
        cert.verify(ca.certificate().getPublicKey());
        assertThat(CertificateState.signedBy(cert, ca.certificate())).isTrue();
    }

    @Test
    void servingCertificateNeverOutlivesItsCa() {
        IssuedCertificate shortCa = issuer.issueCa("short", NOW, Duration.ofDays(30));
        IssuedCertificate serving = issuer.issueServing(shortCa, List.of("svc"), NOW, Duration.ofDays(90));
        assertThat(serving.certificate().getNotAfter()).isEqualTo(shortCa.certificate().getNotAfter());
    }

    @Test
    void servingCertificateNeedsAName() {
        assertThatThrownBy(() -> issuer.issueServing(ca, List.of(), NOW, Duration.ofDays(90)))
                .hasMessage("a serving certificate needs at least one name");
    }

    @Test
    void pemRoundTripKeepsCertificatesKeysAndFingerprints() {
        IssuedCertificate other = issuer.issueCa("other", NOW, Duration.ofDays(10));
        String bundle = Pem.encode(List.of(ca.certificate(), other.certificate()));

        assertThat(bundle).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(Pem.certificates(bundle)).containsExactly(ca.certificate(), other.certificate());
        assertThat(Pem.privateKey(Pem.encode(ca.key()))).isEqualTo(ca.key());
        assertThat(Pem.fingerprint(ca.certificate())).hasSize(64).matches("[0-9a-f]+").isEqualTo(ca.fingerprint());
        assertThat(Pem.certificates("  ")).isEmpty();
    }

    @Test
    void sec1AndPkcs1KeysAsCertManagerWritesThemByDefaultAreRead() throws Exception {
        // openssl-made fixtures (test-only keys): SEC1 after an "EC PARAMETERS" block, PKCS#1, and each as PKCS#8
        ECPrivateKey sec1 = (ECPrivateKey) Pem.privateKey(fixture("ec-sec1-with-parameters.pem"));
        ECPrivateKey ecPkcs8 = (ECPrivateKey) Pem.privateKey(fixture("ec-pkcs8.pem"));
        assertThat(sec1.getS()).isEqualTo(ecPkcs8.getS());
        assertThat(sec1.getParams().getCurve()).isEqualTo(ecPkcs8.getParams().getCurve());

        RSAPrivateKey pkcs1 = (RSAPrivateKey) Pem.privateKey(fixture("rsa-pkcs1.pem"));
        RSAPrivateKey rsaPkcs8 = (RSAPrivateKey) Pem.privateKey(fixture("rsa-pkcs8.pem"));
        assertThat(pkcs1.getModulus()).isEqualTo(rsaPkcs8.getModulus());
        assertThat(pkcs1.getPrivateExponent()).isEqualTo(rsaPkcs8.getPrivateExponent());
    }

    @Test
    void servingCertificateNamesItsCaKeyAndCarriesTheCriticalExtensionsTheApiServerChecks() throws Exception {
        IssuedCertificate serving = issuer.issueServing(ca, List.of("svc", "::1", "2001:db8::7", "not:an:address"), NOW,
                Duration.ofDays(90));
        X509Certificate cert = serving.certificate();
        assertThat(cert.getVersion()).isEqualTo(3);
        assertThat(cert.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(cert.getKeyUsage()).startsWith(true, false, false, false, false, false);
        assertThat(ca.certificate().getKeyUsage()).startsWith(false, false, false, false, false, true, true);
        // the authority key identifier ([0] of an OCTET STRING-wrapped SEQUENCE) is the CA's subject key identifier
        byte[] authorityKeyId = Der.parse(Der.parse(cert.getExtensionValue("2.5.29.35")).contents())
                .children().get(0).contents();
        byte[] caKeyId = Der.parse(Der.parse(ca.certificate().getExtensionValue("2.5.29.14")).contents()).contents();
        assertThat(authorityKeyId).hasSize(20).isEqualTo(caKeyId);
        assertThat(cert.getSubjectAlternativeNames()).extracting(san -> san.get(0) + "=" + san.get(1))
                .containsExactly("2=svc", "7=0:0:0:0:0:0:0:1", "7=2001:db8:0:0:0:0:0:7", "2=not:an:address");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    }

    @Test
    void datesFrom2050AreGeneralizedTimeAsRfc5280Requires() {
        IssuedCertificate late = issuer.issueCa("late", Instant.parse("2049-12-31T23:00:00Z"), Duration.ofDays(365));
        assertThat(late.certificate().getNotAfter().toInstant()).isEqualTo(Instant.parse("2050-12-31T23:00:00Z"));
        assertThat(late.certificate().getNotBefore().toInstant()).isEqualTo(Instant.parse("2049-12-31T22:55:00Z"));
    }

    private static String fixture(String name) throws Exception {
        return new String(CertificateIssuerTest.class.getResourceAsStream("/tls/" + name).readAllBytes(),
                java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void badPemIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> Pem.privateKey("-----BEGIN EC PRIVATE KEY-----\nc2VjcmV0\n-----END EC PRIVATE KEY-----"))
                .hasMessage("not a PEM private key");
        assertThatThrownBy(() -> Pem.privateKey("c2VjcmV0"))
                .hasMessage("not a PEM private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
        assertThat(ca.toString()).doesNotContain(Pem.encode(ca.key()).substring(30, 60)).contains("key redacted");
    }
}

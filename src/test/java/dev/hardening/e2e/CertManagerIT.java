package dev.hardening.e2e;

import dev.hardening.testing.Manifests;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/install.md, "cert-manager": the chart in {@code certificates.mode=cert-manager} with the admin's own issuer,
 * against cert-manager's real controller and cainjector (built from its Go module) and the real API server, Helm and
 * kube-controller-manager. cainjector fills the webhook configuration's caBundle, both replicas serve the certificate
 * cert-manager issued, renewals every 40 seconds (values {@code duration}/{@code renewBefore}) are picked up by the
 * replicas while two clients keep sending admissions through the API server, and helm uninstall removes the webhook
 * configuration but leaves the admin's issuers alone. Without an issuer of the admin's and with
 * {@code injectCA=false}, the chart's own CA issues the certificate and the operator writes caBundle itself.
 */
@EndToEnd
class CertManagerIT {

    static final String RELEASE = "cert-manager-mode";
    static final String NS = "hardening-cert-manager";
    static final String APP = "e2e-cert-manager";
    static final String SERVING = "hardening-operator-serving";
    static final String SECRET = "hardening-operator-tls";
    static final String OWN_CA_RELEASE = "cert-manager-own-ca";
    static final String OWN_CA_NS = "hardening-cert-manager-ca";

    private static CertManager certManager;

    /** The admin's: a self-signed Issuer, the CA certificate it signs, and the CA Issuer that signs with it. */
    static final String ADMIN_ISSUERS = """
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: admin-selfsigned
              namespace: %1$s
            spec:
              selfSigned: {}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: admin-ca
              namespace: %1$s
            spec:
              isCA: true
              commonName: admin-ca
              secretName: admin-ca
              privateKey:
                algorithm: ECDSA
                size: 256
              issuerRef:
                name: admin-selfsigned
                kind: Issuer
                group: cert-manager.io
            ---
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata:
              name: admin-ca
              namespace: %1$s
            spec:
              ca:
                secretName: admin-ca
            """.formatted(NS);

    @BeforeAll
    static void startCertManager(EndToEnd.E2e e2e) {
        Pieces.chart();
        certManager = CertManager.start(e2e.cluster(), e2e.dir());
    }

    @AfterAll
    static void stopCertManager() {
        if (certManager != null) {
            certManager.close();
        }
    }

    @Test
    void cainjectorFillsTheCaBundleAndRenewalsFailNoAdmission(EndToEnd.E2e e2e) {
        ControlPlane cluster = e2e.cluster();
        Kubectl kubectl = e2e.kubectl();
        Fixtures fixtures = e2e.fixtures();
        ChartRelease chart = null;
        try {
            fixtures.namespace(NS);
            fixtures.apply(ADMIN_ISSUERS);
            kubectl.ok("wait", "--for=condition=Ready", "issuer/admin-ca", "-n", NS, "--timeout=120s");

            chart = ChartRelease.install(cluster, RELEASE, NS, "--set", "certificates.mode=cert-manager",
                    "--set", "certificates.certManager.issuerRef.name=admin-ca",
                    "--set", "certificates.certManager.duration=2m", "--set", "certificates.certManager.renewBefore=80s");
            kubectl.ok("wait", "--for=condition=Ready", "certificate/" + SERVING, "-n", NS, "--timeout=120s");
            certManager.assertAlive();

            try (Replicas replicas = Replicas.start(cluster, chart, "cert-manager", 2)) {
                // the operator names the Certificate; cainjector, not the operator, writes the CA of its Secret
                assertThat(kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION, "-o",
                        "jsonpath={.metadata.annotations.cert-manager\\.io/inject-ca-from}")).isEqualTo(NS + "/" + SERVING);
                String caBundle = caBundle(kubectl);
                assertThat(caBundle).isEqualTo(secretField(kubectl, NS, SECRET, "ca\\.crt"))
                        .isEqualTo(secretField(kubectl, NS, "admin-ca", "tls\\.crt"));
                assertThat(caBundleManagers(kubectl)).containsExactly("cert-manager-cainjector");
                assertThat(secretField(kubectl, NS, "admin-ca", "ca\\.crt")).as("a selfSigned issuer's certificate is its own CA")
                        .isEqualTo(secretField(kubectl, NS, "admin-ca", "tls\\.crt"));

                // both replicas serve the certificate cert-manager issued
                String issued = awaitServedEverywhere(replicas, NS);
                fixtures.namespace(APP);
                fixtures.apply(Fixtures.policy(APP, "gate", "Hardened", "Enforce"));
                fixtures.awaitPolicyReady(APP, "gate");
                fixtures.awaitWebhookDenies(APP);

                String plain = Manifests.pod(APP, "plain", Manifests.plainPodSpec("Always", "nginx:1.25"));
                String hardened = Manifests.pod(APP, "hardened", Manifests.hardenedPodSpec("Always"));
                String denial = "Pod \"plain\" violates HardeningPolicy \"" + APP + "/gate\"";
                int revision = revision(kubectl);
                List<AdmissionDriver.Answer> answers = new ArrayList<>();
                try (AdmissionDriver driver = new AdmissionDriver(kubectl, hardened, plain, denial).start();
                     AdmissionDriver other = new AdmissionDriver(kubectl, hardened, plain, denial).start()) {
                    // two renewals, each picked up by both replicas while the admissions go on
                    Awaitility.await("two renewals served by both replicas").atMost(Duration.ofMinutes(4))
                            .pollInterval(Duration.ofSeconds(1))
                            .failFast("cert-manager exited", certManager::assertAlive)
                            .until(() -> revision(kubectl) >= revision + 2 && servedEverywhere(replicas, NS));
                    int after = driver.answers().size();
                    Awaitility.await("admissions after the renewals").atMost(Duration.ofSeconds(30))
                            .until(() -> driver.answers().size() >= after + 4);
                    driver.close();
                    other.close();
                    answers.addAll(driver.answers());
                    answers.addAll(other.answers());
                }
                assertThat(awaitServedEverywhere(replicas, NS)).as("a renewed certificate").isNotEqualTo(issued);
                assertThat(caBundle(kubectl)).as("renewals keep the CA, so caBundle stays as it was").isEqualTo(caBundle);

                List<AdmissionDriver.Answer> failed = answers.stream()
                        .filter(a -> !a.asExpected() && a.detail().contains("failed calling webhook")).toList();
                List<AdmissionDriver.Answer> wrong = answers.stream().filter(a -> !a.asExpected() && !failed.contains(a)).toList();
                System.err.printf("[e2e] cert-manager: %d admissions (2 clients) through %d renewals: %d failed, %d wrong%n",
                        answers.size(), revision(kubectl) - revision, failed.size(), wrong.size());
                assertThat(failed).as("admissions that failed").isEmpty();
                assertThat(wrong).as("admissions with a wrong verdict").isEmpty();

                uninstall(chart, RELEASE, NS, replicas);
                assertThat(kubectl.ok("get", "certificate", "-n", NS, "-o", "name")).as("the release's Certificate is gone")
                        .isEqualTo("certificate.cert-manager.io/admin-ca\n");
                assertThat(kubectl.ok("get", "issuer", "-n", NS, "-o", "name")).as("the admin's issuers stay")
                        .isEqualTo("issuer.cert-manager.io/admin-ca\nissuer.cert-manager.io/admin-selfsigned\n");
                assertThat(kubectl.ok("get", "secret", SECRET, "-n", NS, "-o", "name"))
                        .as("cert-manager leaves a Certificate's Secret behind").isEqualTo("secret/" + SECRET + "\n");
            }
        } finally {
            if (chart != null) {
                chart.close();
            }
            kubectl.run("delete", "namespace", APP, NS, "--wait=false", "--ignore-not-found");
        }
    }

    @Test
    void withoutAnIssuerTheChartsOwnCaIssuesAndWithoutCainjectorTheOperatorWritesCaBundle(EndToEnd.E2e e2e) {
        ControlPlane cluster = e2e.cluster();
        Kubectl kubectl = e2e.kubectl();
        ChartRelease chart = null;
        try {
            chart = ChartRelease.install(cluster, OWN_CA_RELEASE, OWN_CA_NS, "--set", "certificates.mode=cert-manager",
                    "--set", "certificates.certManager.injectCA=false");
            kubectl.ok("wait", "--for=condition=Ready", "certificate/" + SERVING, "-n", OWN_CA_NS, "--timeout=120s");
            assertThat(kubectl.ok("get", "issuer,certificate", "-n", OWN_CA_NS, "-o", "name")).as("the chart's private CA")
                    .isEqualTo("issuer.cert-manager.io/hardening-operator-ca\nissuer.cert-manager.io/hardening-operator-selfsigned\n"
                            + "certificate.cert-manager.io/hardening-operator-ca\ncertificate.cert-manager.io/" + SERVING + "\n");
            certManager.assertAlive();

            try (Replicas replicas = Replicas.start(cluster, chart, "own-ca", 2)) {
                assertThat(kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION, "-o",
                        "jsonpath={.metadata.annotations}")).as("nothing for cainjector").doesNotContain("inject-ca-from");
                assertThat(caBundle(kubectl)).isEqualTo(secretField(kubectl, OWN_CA_NS, SECRET, "ca\\.crt"))
                        .isEqualTo(secretField(kubectl, OWN_CA_NS, "hardening-operator-ca", "tls\\.crt"));
                assertThat(caBundleManagers(kubectl)).containsExactly("hardening-operator");
                awaitServedEverywhere(replicas, OWN_CA_NS);

                uninstall(chart, OWN_CA_RELEASE, OWN_CA_NS, replicas);
                assertThat(kubectl.ok("get", "issuer,certificate", "-n", OWN_CA_NS, "-o", "name"))
                        .as("the chart's issuers and certificates are the release's").isEmpty();
            }
        } finally {
            if (chart != null) {
                chart.close();
            }
            kubectl.run("delete", "namespace", OWN_CA_NS, "--wait=false", "--ignore-not-found");
        }
    }

    /** helm uninstall, the replicas stopped as their pods go, and the webhook configuration garbage-collected. */
    private static void uninstall(ChartRelease chart, String release, String namespace, Replicas replicas) {
        Kubectl kubectl = ControlPlane.shared().kubectl();
        Kubectl.Result uninstalled = chart.helm("uninstall", release, "--namespace", namespace);
        assertThat(uninstalled.exitCode()).as(uninstalled.describe()).isZero();
        for (int i = 0; i < replicas.size(); i++) {
            replicas.process(i).stopProcess();
        }
        Awaitility.await("garbage collection of the webhook configuration").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION,
                        "--ignore-not-found", "-o", "name").isEmpty());
    }

    /** Waits until every replica serves the leaf of the Secret as it is now; returns its SHA-256. */
    private static String awaitServedEverywhere(Replicas replicas, String namespace) {
        Awaitility.await("every replica serves the Secret's certificate").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500)).until(() -> servedEverywhere(replicas, namespace));
        return leafSha256(secretField(ControlPlane.shared().kubectl(), namespace, SECRET, "tls\\.crt"));
    }

    private static boolean servedEverywhere(Replicas replicas, String namespace) {
        String leaf = leafSha256(secretField(ControlPlane.shared().kubectl(), namespace, SECRET, "tls\\.crt"));
        for (int i = 0; i < replicas.size(); i++) {
            if (!leaf.equals(TlsPeek.leafSha256(replicas.address(i), Replicas.WEBHOOK_PORT))) {
                return false;
            }
        }
        return true;
    }

    private static int revision(Kubectl kubectl) {
        return Integer.parseInt(kubectl.ok("get", "certificate", SERVING, "-n", NS, "-o", "jsonpath={.status.revision}"));
    }

    private static String caBundle(Kubectl kubectl) {
        return decode(kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION, "-o",
                "jsonpath={.webhooks[0].clientConfig.caBundle}"));
    }

    /** The field managers that own the webhook's caBundle (server-side apply's managedFields). */
    private static List<String> caBundleManagers(Kubectl kubectl) {
        String managers = kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION, "-o",
                "go-template={{range .metadata.managedFields}}{{.manager}} {{.fieldsV1}}{{\"\\n\"}}{{end}}");
        return managers.lines().filter(l -> l.contains("f:caBundle")).map(l -> l.substring(0, l.indexOf(' '))).toList();
    }

    private static String secretField(Kubectl kubectl, String namespace, String secret, String key) {
        return decode(kubectl.ok("get", "secret", secret, "-n", namespace, "-o", "jsonpath={.data." + key + "}"));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.US_ASCII);
    }

    /** SHA-256 of the first certificate of a PEM chain (the leaf), as {@link TlsPeek} gives the served one. */
    private static String leafSha256(String pem) {
        try {
            byte[] leaf = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).getEncoded();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf));
        } catch (Exception e) {
            throw new IllegalStateException("not a PEM certificate: " + e.getMessage(), e);
        }
    }
}

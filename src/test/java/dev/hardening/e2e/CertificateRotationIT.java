package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A self-managed serving certificate with a three-minute lifetime is renewed (at two thirds of it) while the API
 * server keeps calling the webhook: every admission in between gets the webhook's answer, none fails on TLS.
 */
@EndToEnd
class CertificateRotationIT {

    static final String NS = "e2e-rotation";

    @Test
    void theServingCertificateRotatesWithoutAFailedAdmission(EndToEnd.E2e e2e) {
        ControlPlane cluster = e2e.cluster();
        Kubectl kubectl = e2e.kubectl();
        Fixtures fixtures = e2e.fixtures();
        fixtures.namespace(OperatorProcess.NAMESPACE);
        fixtures.namespace(NS);
        kubectl.runWithInput(Fixtures.policy(NS, "strict", "Hardened", "Enforce"), "apply", "-f", "-");
        String pod = Manifests.pod(NS, "probe", Manifests.plainPodSpec("Always", "nginx:1.25"));
        String denial = "admission webhook \"validate.hardening.dev\" denied the request: Pod \"probe\" violates HardeningPolicy \"e2e-rotation/strict\"";

        try (OperatorProcess operator = OperatorProcess.start(cluster, "rotation-it-operator", cluster.kubeconfig(), Map.of(
                "HARDENING_CERTIFICATES_SECRET_NAME", "e2e-rotation-tls",
                "HARDENING_CERTIFICATES_SERVING_VALIDITY", "PT3M"))) {
            fixtures.awaitPolicyReady(NS, "strict");
            Awaitility.await("the API server calls the webhook").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.runWithInput(pod, "create", "--dry-run=server", "-f", "-").stderr().contains(denial));
            String first = operator.servedFingerprint();
            int[] admissions = {0};

            Awaitility.await("a new serving certificate").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        Kubectl.Result result = kubectl.runWithInput(pod, "create", "--dry-run=server", "-f", "-");
                        admissions[0]++;
                        assertThat(result.stderr()).as("admission #%d during rotation\n%s", admissions[0], result.describe()).contains(denial);
                        return !operator.servedFingerprint().equals(first);
                    });
            Kubectl.Result after = kubectl.runWithInput(pod, "create", "--dry-run=server", "-f", "-");

            assertThat(after.stderr()).as(after.describe()).contains(denial);
        }
    }
}

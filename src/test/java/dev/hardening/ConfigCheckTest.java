package dev.hardening;

import dev.hardening.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One check at start names every setting that cannot work, with its property and what it allows. */
class ConfigCheckTest {

    @Test
    void theDefaultsAreValid() {
        assertThat(ConfigCheck.errors(TestConfig.hardening(Map.of()))).isEmpty();
    }

    @Test
    void everyInvalidSettingIsReportedTogether() {
        HardeningConfig config = TestConfig.hardening(Map.of(
                "hardening.webhook.failure-policy", "Open",
                "hardening.webhook.timeout-seconds", "31",
                "hardening.webhook.controller-usernames", " ",
                "hardening.webhook.url", "http://127.0.0.1/validate",
                "hardening.webhook.max-connections", "0",
                "hardening.certificates.mode", "vault",
                "hardening.certificates.inject-ca-from", "hardening-operator-serving",
                "hardening.audit.page-size", "10001",
                "hardening.reports.max-results", "0"));

        assertThat(ConfigCheck.errors(config)).containsExactly(
                "hardening.webhook.failure-policy: must be Fail or Ignore, got \"Open\"",
                "hardening.webhook.timeout-seconds: must be between 1 and 30 (the API server's limits), got 31",
                "hardening.webhook.controller-usernames: must name at least one user when "
                        + "hardening.webhook.controller-children is Trust",
                "hardening.webhook.url: must be an https URL with a host, got \"http://127.0.0.1/validate\"",
                "hardening.webhook.max-connections: must be at least 1, got 0",
                "hardening.certificates.mode: must be self-managed, cert-manager or external, got \"vault\"",
                "hardening.certificates.inject-ca-from: must be <namespace>/<certificate name>, got \"hardening-operator-serving\"",
                "hardening.audit.page-size: must be between 1 and 10000, got 10001",
                "hardening.reports.max-results: must be between 1 and 2000, got 0");
    }

    @Test
    void validValuesReadAsTheirEnums() {
        HardeningConfig config = TestConfig.hardening(Map.of("hardening.webhook.failure-policy", "Ignore",
                "hardening.certificates.mode", "cert-manager", "hardening.webhook.url", "not a url"));

        assertThat(ConfigCheck.errors(config)).containsExactly("hardening.webhook.url: not a URL: \"not a url\"");
        assertThat(config.webhook().failurePolicy()).isEqualTo(HardeningConfig.FailurePolicy.Ignore);
        assertThat(config.certificates().mode()).isEqualTo(HardeningConfig.CertificateMode.CERT_MANAGER);
    }

    @Test
    void cainjectorIsNamedOnlyInCertManagerMode() {
        String from = "hardening-system/hardening-operator-serving";
        assertThat(ConfigCheck.errors(TestConfig.hardening(Map.of("hardening.certificates.mode", "cert-manager",
                "hardening.certificates.inject-ca-from", from)))).isEmpty();
        assertThat(ConfigCheck.errors(TestConfig.hardening(Map.of("hardening.certificates.inject-ca-from", from))))
                .containsExactly("hardening.certificates.inject-ca-from: only with hardening.certificates.mode cert-manager, "
                        + "got mode \"self-managed\"");
    }
}

package dev.hardening.rules.release;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** No message or fix of no-plaintext-secrets ever contains the secret value. */
class NoPlaintextSecretsEchoTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sk-proj-9f8e7d6c5b4a", "hunter2", "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
            "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----", "pässwört", "s3cr3t value with spaces"})
    void aSecretValueNeverAppears(String value) {
        var violations = SecretEnv.violations("DB_PASSWORD", value);

        assertThat(violations).hasSize(1);
        assertThat(SecretEnv.visible(violations).toLowerCase(Locale.ROOT)).doesNotContain(value.toLowerCase(Locale.ROOT));
        assertThat(violations).isEqualTo(SecretEnv.violations("DB_PASSWORD", "placeholder"));
    }

    /** Default credentials are words that can occur in fixed wording ("secret"), so: the output does not depend on them. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"admin", "ADMIN", "password", "changeme", "root", "secret", "123456", "letmein", "default"})
    void aDefaultCredentialIsReportedWithoutSayingWhichOne(String value) {
        var violations = SecretEnv.violations("GF_SECURITY_ADMIN_PASSWORD", value);

        assertThat(violations).hasSize(1).isEqualTo(SecretEnv.violations("GF_SECURITY_ADMIN_PASSWORD", "guest"));
        assertThat(violations.get(0).message()).endsWith("is set to a well-known default credential");
    }
}

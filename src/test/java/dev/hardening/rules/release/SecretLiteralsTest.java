package dev.hardening.rules.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SecretLiteralsTest {

    @ParameterizedTest(name = "{0} looks like a secret: {1}")
    @CsvSource({
            "DB_PASSWORD, true", "dbPassword, true", "MYSQLPASSWORD, true", "REDIS_PASSWD, true",
            "DB_PWD, true", "dbPwd, true", "PWD, false", "OLDPWD, false",
            "CLIENT_SECRET, true", "clientSecret, true", "GITHUB_TOKEN, true", "OPENAI_API_KEY, true",
            "openaiApiKey, true", "STRIPE_APIKEY, true", "TLS_PRIVATE_KEY, true", "GCP_CREDENTIALS, true",
            "AWS_ACCESS_KEY_ID, true", "REDIS_AUTH, true", "AUTH, true",
            "AUTH_MODE, false", "OAUTH_ISSUER, false", "AUTHOR, false",
            "OPENAI_API_KEY_FILE, false", "TOKEN_URL, false", "SECRET_NAME, false", "VAULT_SECRET_PATH, false",
            "CREDENTIALS_DIR, false", "JWKS_URI, false", "TOKEN_ENDPOINT, false",
            "LOG_LEVEL, false", "USER, false", "'', false"})
    void secretNames(String name, boolean secret) {
        assertThat(SecretLiterals.secretName(name)).isEqualTo(secret);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"admin", "ADMIN", "Password", "changeme", " changeme ", "root", "secret", "123456",
            "letmein", "default", "P@ssw0rd", "guest"})
    void defaultCredentials(String value) {
        assertThat(SecretLiterals.defaultCredential(value)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"admin1", "x-admin", "info", "s3cr3t", "", "/app"})
    void notDefaultCredentials(String value) {
        assertThat(SecretLiterals.defaultCredential(value)).isFalse();
    }

    @Test
    void nullIsNeither() {
        assertThat(SecretLiterals.secretName(null)).isFalse();
        assertThat(SecretLiterals.defaultCredential(null)).isFalse();
    }
}

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
            "REDIS_AUTH, true", "AUTH, true", "VAULT_DEV_ROOT_TOKEN_ID, true",
            // about a secret, not the secret: a switch, a count, a command, an identifier, a user, a lifetime
            "ALLOW_EMPTY_PASSWORD, false", "ZOO_ENABLE_AUTH, false", "CASSANDRA_NUM_TOKENS, false", "MAX_TOKENS, false",
            "AIRFLOW__API__SECRET_KEY_CMD, false", "SECRET_ID, false", "AWS_ACCESS_KEY_ID, false", "CLIENT_ID, false",
            "REDIS_PASSWORD_USER, false", "TOKEN_TTL, false", "AUTH_TYPE, false", "GOOGLE_APPLICATION_CREDENTIALS, true",
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no", "YES", "true", "False", "on", "off", "y", "N", "256", "-1", "3600", "0.5",
            "/var/secrets/google/key.json", "/opt/bitnami/etcd/certs/", "$(UNDEFINED_VARIABLE)", "$(A)-$(B)", " "})
    void valuesThatCannotBeSecrets(String value) {
        assertThat(SecretLiterals.notASecret("API_TOKEN", value)).isTrue();
    }

    @Test
    void aShortNumberIsAPasswordWhenTheNameSaysSo() {
        assertThat(SecretLiterals.notASecret("MYSQL_PASSWORD", "1234")).isFalse();
        assertThat(SecretLiterals.notASecret("dbPwd", "0000")).isFalse();
        assertThat(SecretLiterals.notASecret("CASSANDRA_TOKENS", "256")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s3cr3t", "918273645501928374", "keys/signing-key", "Bearer $(TOKEN)", "/not a path",
            "yes-really", "ghp_0123456789abcdef"})
    void valuesThatCanBeSecrets(String value) {
        assertThat(SecretLiterals.notASecret("API_TOKEN", value)).isFalse();
    }

    @Test
    void nullIsNeither() {
        assertThat(SecretLiterals.secretName(null)).isFalse();
        assertThat(SecretLiterals.defaultCredential(null)).isFalse();
    }
}

package dev.hardening.rules.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Which env var names look like they hold a secret, and which literal values are well-known default credentials. */
final class SecretLiterals {

    /** Matched anywhere in the upper-cased name: {@code DBPASSWORD}, {@code GITHUB_TOKEN}, {@code clientSecret}. */
    private static final List<String> SECRET_WORDS = List.of(
            "PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "PRIVATEKEY",
            "CREDENTIAL", "ACCESS_KEY", "ACCESSKEY");

    /**
     * A name whose last word is one of these names something about a secret, not the secret: where it is
     * ({@code OPENAI_API_KEY_FILE}, the fix the checklist recommends; {@code TOKEN_URL}; {@code SECRET_NAME}), a
     * command that prints it ({@code AIRFLOW__API__SECRET_KEY_CMD}), whose it is ({@code ADMIN_USER}), how it is
     * used ({@code AUTH_TYPE}), or how long it lives ({@code TOKEN_TTL}). From the false positives on rendered
     * public charts (docs/cli.md, "Measured on real manifests").
     */
    private static final Set<String> NOT_SECRET_LAST_WORDS = Set.of(
            "FILE", "FILES", "FILENAME", "PATH", "DIR", "LOCATION", "MOUNT", "URL", "URI", "ENDPOINT", "HOST", "PORT",
            "NAME", "CMD", "COMMAND", "SCRIPT", "USER", "USERNAME", "LOGIN", "EMAIL", "TYPE", "MODE", "METHOD",
            "ALGORITHM", "PROVIDER", "ISSUER", "AUDIENCE", "HEADER", "PREFIX", "FORMAT", "TTL", "TIMEOUT", "EXPIRY",
            "EXPIRATION", "LIFETIME", "LENGTH", "SIZE", "COUNT", "VERSION", "REF", "ARN", "ENABLED", "DISABLED",
            "REQUIRED");

    /**
     * A name with one of these words is a switch or a count about a secret: {@code ALLOW_EMPTY_PASSWORD},
     * {@code ZOO_ENABLE_AUTH}, {@code CASSANDRA_NUM_TOKENS}, {@code MAX_TOKENS}.
     */
    private static final Set<String> FLAG_OR_COUNT_WORDS = Set.of(
            "ALLOW", "ENABLE", "ENABLED", "DISABLE", "DISABLED", "REQUIRE", "REQUIRED", "SKIP", "USE", "NUM", "NUMBER",
            "MAX", "MIN");

    /** YAML and shell spellings of a switch; compared case-insensitively. */
    private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "on", "off", "y", "n");

    /** Short numbers are counts, ports and durations; a longer run of digits may be a PIN or a numeric token. */
    private static final Pattern SHORT_NUMBER = Pattern.compile("[-+]?[0-9]{1,8}(\\.[0-9]{1,8})?");

    /** An absolute path without blanks: where a secret is mounted, not the secret. */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(/[\\w.@+-]+)+/?");

    /** {@code $(NAME)}: a reference the kubelet left as written (undefined, escaped); it carries no secret. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\([A-Za-z_][A-Za-z0-9_.-]*\\)");

    /** Compared case-insensitively after trimming; reported when a secret's name is set to one of them. */
    private static final Set<String> DEFAULT_CREDENTIALS = Set.of(
            "admin", "administrator", "password", "passw0rd", "p@ssw0rd", "changeme", "changeit", "root", "toor",
            "secret", "123456", "12345678", "letmein", "default", "guest", "qwerty");

    private SecretLiterals() {
    }

    /**
     * Whether {@code name} looks like a secret. Short words only count as whole tokens: {@code PWD} in
     * {@code DB_PWD} (plain {@code PWD} is the shell's working directory), {@code AUTH} as the last token
     * ({@code REDIS_AUTH}, not {@code AUTH_MODE}).
     */
    static boolean secretName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        List<String> tokens = tokens(name);
        if (tokens.isEmpty() || notSecretLastWord(tokens) || tokens.stream().anyMatch(FLAG_OR_COUNT_WORDS::contains)) {
            return false;
        }
        String joined = String.join("_", tokens);
        for (String word : SECRET_WORDS) {
            if (joined.contains(word)) {
                return true;
            }
        }
        return (tokens.contains("PWD") && tokens.size() > 1) || tokens.get(tokens.size() - 1).equals("AUTH");
    }

    /**
     * The last word names a reference, a command, an owner, a kind or a duration, not the secret. {@code ID} is an
     * identifier ({@code AWS_ACCESS_KEY_ID}, {@code CLIENT_ID}) except after TOKEN: Vault's
     * {@code VAULT_DEV_ROOT_TOKEN_ID} is the root token itself.
     */
    private static boolean notSecretLastWord(List<String> tokens) {
        String last = tokens.get(tokens.size() - 1);
        if (last.equals("ID") || last.equals("IDS")) {
            return tokens.size() < 2 || !tokens.get(tokens.size() - 2).equals("TOKEN");
        }
        return NOT_SECRET_LAST_WORDS.contains(last);
    }

    /**
     * A value that cannot be a secret: a boolean ({@code ALLOW_EMPTY_PASSWORD=no}), a short number
     * ({@code CASSANDRA_NUM_TOKENS=256}) unless the name is a password's ({@code MYSQL_PASSWORD=1234} is one), an
     * absolute path ({@code GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json}) or nothing but {@code $(VAR)}
     * references left as written.
     */
    static boolean notASecret(String name, String value) {
        String trimmed = value.trim();
        return BOOLEANS.contains(trimmed.toLowerCase(Locale.ROOT))
                || (SHORT_NUMBER.matcher(trimmed).matches() && !passwordName(name))
                || ABSOLUTE_PATH.matcher(trimmed).matches()
                || REFERENCE.matcher(trimmed).replaceAll("").chars().noneMatch(Character::isLetterOrDigit);
    }

    private static boolean passwordName(String name) {
        List<String> tokens = tokens(name);
        String joined = String.join("_", tokens);
        return joined.contains("PASSWORD") || joined.contains("PASSWD") || tokens.contains("PWD");
    }

    static boolean defaultCredential(String value) {
        return value != null && DEFAULT_CREDENTIALS.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    /** Upper-cased words of a name, split at non-alphanumerics and camelCase humps: {@code dbPwd} is DB, PWD. */
    static List<String> tokens(String name) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = c < 0x80 && Character.isLetterOrDigit(c);
            boolean hump = i > 0 && Character.isUpperCase(c) && Character.isLowerCase(name.charAt(i - 1));
            if (!alphanumeric || hump) {
                flush(current, tokens);
            }
            if (alphanumeric) {
                current.append(Character.toUpperCase(c));
            }
        }
        flush(current, tokens);
        return tokens;
    }

    private static void flush(StringBuilder current, List<String> tokens) {
        if (current.length() > 0) {
            tokens.add(current.toString());
            current.setLength(0);
        }
    }
}

package dev.hardening.rules.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which env var names look like they hold a secret, and which literal values are well-known default credentials. */
final class SecretLiterals {

    /** Matched anywhere in the upper-cased name: {@code DBPASSWORD}, {@code GITHUB_TOKEN}, {@code clientSecret}. */
    private static final List<String> SECRET_WORDS = List.of(
            "PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "PRIVATEKEY",
            "CREDENTIAL", "ACCESS_KEY", "ACCESSKEY");

    /**
     * Names ending in these hold a reference to a secret, not the secret: {@code OPENAI_API_KEY_FILE} is the
     * fix the checklist recommends, {@code TOKEN_URL} an address, {@code SECRET_NAME} a Secret's name.
     */
    private static final Set<String> REFERENCE_SUFFIXES = Set.of("FILE", "PATH", "DIR", "URL", "URI", "ENDPOINT", "NAME");

    /** Compared case-insensitively after trimming; always reported, whatever the variable's name. */
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
        if (tokens.isEmpty() || REFERENCE_SUFFIXES.contains(tokens.get(tokens.size() - 1))) {
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

package dev.hardening.cli.pin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code WWW-Authenticate} challenge (RFC 7235): {@code Bearer realm="https://auth.example/token",
 * service="registry.example",scope="repository:app:pull"} or {@code Basic realm="Registry"}.
 */
record Challenge(String scheme, Map<String, String> parameters) {

    static Optional<Challenge> parse(String header) {
        String text = header.trim();
        int space = text.indexOf(' ');
        String scheme = space < 0 ? text : text.substring(0, space);
        if (scheme.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = space < 0 ? text.length() : space + 1;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                break;
            }
            String name = text.substring(i, equals).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            int j = equals + 1;
            if (j < text.length() && text.charAt(j) == '"') {
                j++;
                while (j < text.length() && text.charAt(j) != '"') {
                    if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                        j++;
                    }
                    value.append(text.charAt(j++));
                }
                j++;
            } else {
                while (j < text.length() && text.charAt(j) != ',') {
                    value.append(text.charAt(j++));
                }
            }
            parameters.put(name, value.toString().trim());
            while (j < text.length() && (text.charAt(j) == ',' || text.charAt(j) == ' ')) {
                j++;
            }
            i = j;
        }
        return Optional.of(new Challenge(scheme, parameters));
    }
}

package dev.hardening.rules.release;

import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's dependent-variable expansion of a container's {@code env}, as far as the manifest tells: in a
 * {@code value}, {@code $(NAME)} becomes the value of a variable defined earlier in the list (or through
 * {@code envFrom}), {@code $$} is an escaped {@code $}, and a reference to an undefined variable stays as written.
 * A value is literal when every character of its expansion is written in the manifest; one that takes any part from
 * a {@code valueFrom} (secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef) or {@code envFrom} variable is not.
 */
final class EnvExpansion {

    private EnvExpansion() {
    }

    /**
     * Per env entry, in order: the literal its value expands to, or {@code null} when some of it comes from a
     * non-literal source.
     *
     * @param envFrom whether the container has {@code envFrom}: then any name not defined in {@code env} may come
     *                from it, and a reference to it is not literal
     */
    static List<String> literals(List<EnvVar> env, boolean envFrom) {
        List<String> literals = new ArrayList<>(env.size());
        // name -> literal value, or null for a variable from a non-literal source; absent: undefined so far
        Map<String, String> defined = new HashMap<>();
        for (EnvVar var : env) {
            String literal;
            if (var == null) {
                literal = null;
            } else if (var.getValueFrom() != null) {
                literal = null;
            } else {
                literal = expand(var.getValue() == null ? "" : var.getValue(), defined, envFrom);
            }
            literals.add(literal);
            if (var != null && var.getName() != null) {
                defined.put(var.getName(), literal);
            }
        }
        return literals;
    }

    /** Kubernetes' {@code expansion.Expand}, returning {@code null} as soon as a non-literal variable is referenced. */
    static String expand(String value, Map<String, String> defined, boolean envFrom) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$' || i + 1 == value.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = value.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = value.indexOf(')', i + 2);
                if (close < 0) {
                    out.append("$(");
                    i += 2;
                    continue;
                }
                String name = value.substring(i + 2, close);
                if (defined.containsKey(name)) {
                    String referenced = defined.get(name);
                    if (referenced == null) {
                        return null;
                    }
                    out.append(referenced);
                } else if (envFrom) {
                    return null;
                } else {
                    out.append("$(").append(name).append(')');
                }
                i = close + 1;
            } else {
                out.append('$').append(next);
                i += 2;
            }
        }
        return out.toString();
    }
}

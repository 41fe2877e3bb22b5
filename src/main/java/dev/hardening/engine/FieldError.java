package dev.hardening.engine;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One problem in a policy spec, in the wording of Kubernetes field errors:
 * {@code spec.exemptions[0].rules[1]: Invalid value: "image-tag": rule is not in effect in this policy}.
 */
public record FieldError(String path, Type type, String value, String detail) {

    public enum Type {
        REQUIRED("Required value"),
        INVALID("Invalid value"),
        DUPLICATE("Duplicate value");

        private final String text;

        Type(String text) {
            this.text = text;
        }
    }

    public static FieldError required(String path, String detail) {
        return new FieldError(path, Type.REQUIRED, null, detail);
    }

    public static FieldError invalid(String path, String value, String detail) {
        return new FieldError(path, Type.INVALID, value, detail);
    }

    public static FieldError duplicate(String path, String value) {
        return new FieldError(path, Type.DUPLICATE, value, null);
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(path).append(": ").append(type.text);
        if (value != null) {
            line.append(": \"").append(value).append('"');
        }
        if (detail != null) {
            line.append(": ").append(detail);
        }
        return line.toString();
    }

    /** All errors on one line, for a condition message. */
    public static String join(List<FieldError> errors) {
        return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }
}

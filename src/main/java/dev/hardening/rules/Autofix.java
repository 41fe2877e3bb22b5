package dev.hardening.rules;

import java.util.Objects;

/**
 * A fix that needs no human decision, as the rule that found the problem states it: one change at a field path of the
 * submitted object. {@code hardening fix} applies it as a text edit; a violation without one is left to a human
 * (limit values, probes, secrets, host paths).
 */
public sealed interface Autofix permits Autofix.SetValue, Autofix.AddItem, Autofix.RemoveItem {

    /** The field path, in the form of {@link Violation#path()}. */
    String path();

    /** Sets the scalar at {@code path} to {@code value} (a {@link Boolean} or a {@link String}), creating its parents. */
    record SetValue(String path, Object value) implements Autofix {
        public SetValue {
            Objects.requireNonNull(path, "path");
            if (!(value instanceof Boolean) && !(value instanceof String)) {
                throw new IllegalArgumentException("a boolean or a string, not " + value);
            }
        }
    }

    /** Appends {@code item} to the list at {@code path}, creating it (and its parents) when absent. */
    record AddItem(String path, String item) implements Autofix {
        public AddItem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(item, "item");
        }
    }

    /** Removes the list item at {@code path}, which ends with its index: {@code ...capabilities.add[1]}. */
    record RemoveItem(String path) implements Autofix {
        public RemoveItem {
            Objects.requireNonNull(path, "path");
            if (!path.endsWith("]")) {
                throw new IllegalArgumentException("not a list item: " + path);
            }
        }
    }
}

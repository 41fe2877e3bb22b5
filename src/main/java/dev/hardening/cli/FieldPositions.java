package dev.hardening.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the fields of one object sit in its file, looked up only for the paths that violations name. A field that
 * does not exist — a rule often reports a missing one — resolves to its nearest existing parent.
 */
final class FieldPositions {

    private final PositionTree root;

    FieldPositions(PositionTree root) {
        this.root = root;
    }

    /** Where the object starts: its first key. */
    Position start() {
        return root.start();
    }

    /**
     * The key of the deepest existing field on {@code path}, e.g. {@code spec.template.spec.containers[0].image}
     * or {@code metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]}.
     */
    Position of(String path) {
        PositionTree node = root;
        Position best = root.start();
        for (Object segment : segments(path)) {
            PositionTree.Entry entry = segment instanceof String name ? node.field(name) : null;
            PositionTree next;
            if (entry != null) {
                next = entry.value();
                best = entry.key();
            } else if (segment instanceof Integer index && (next = node.item(index)) != null) {
                best = next.start();
            } else {
                break;
            }
            node = next;
        }
        return best;
    }

    /** The positions of item {@code index} of the sequence {@code field}, for the items of a List object. */
    FieldPositions item(String field, int index) {
        PositionTree.Entry entry = root.field(field);
        PositionTree item = entry == null ? null : entry.value().item(index);
        return item == null ? this : new FieldPositions(item);
    }

    /** {@code a.b[0][k.e.y]} → a, b, 0, k.e.y: names, numeric indices and bracketed map keys (which may hold dots). */
    static List<Object> segments(String path) {
        List<Object> segments = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.' || c == '[') {
                flush(name, segments);
            }
            if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    break;
                }
                String inner = path.substring(i + 1, close);
                segments.add(!inner.isEmpty() && inner.chars().allMatch(Character::isDigit) ? (Object) Integer.valueOf(inner) : inner);
                i = close + 1;
            } else {
                if (c != '.') {
                    name.append(c);
                }
                i++;
            }
        }
        flush(name, segments);
        return segments;
    }

    private static void flush(StringBuilder name, List<Object> segments) {
        if (name.length() > 0) {
            segments.add(name.toString());
            name.setLength(0);
        }
    }
}

package dev.hardening.cli.fix;

import java.util.ArrayList;
import java.util.List;

/** A violation's field path as segments: {@code a.b[0].c} → a, b, 0, c (names as strings, indices as integers). */
final class FieldPath {

    private FieldPath() {
    }

    static List<Object> segments(String path) {
        List<Object> segments = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '.' || c == '[') {
                if (name.length() > 0) {
                    segments.add(name.toString());
                    name.setLength(0);
                }
                if (c == '[') {
                    int close = path.indexOf(']', i);
                    String inner = path.substring(i + 1, close < 0 ? path.length() : close);
                    segments.add(!inner.isEmpty() && inner.chars().allMatch(Character::isDigit) ? (Object) Integer.valueOf(inner) : inner);
                    i = close < 0 ? path.length() : close;
                }
            } else {
                name.append(c);
            }
        }
        if (name.length() > 0) {
            segments.add(name.toString());
        }
        return segments;
    }
}

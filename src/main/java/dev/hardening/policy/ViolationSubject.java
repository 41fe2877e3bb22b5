package dev.hardening.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.hardening.rules.Violation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * What a violation is about, as the update ratchet compares it: the rule, the offending field and the value there.
 * The field is the violation's path with each list index replaced by what names the item ({@code containers[0]}
 * becomes {@code containers[name=app]}, {@code capabilities.add[1]} becomes {@code add[=SYS_ADMIN]}), so that
 * reordering containers, env vars or volumes changes nothing. The value is the JSON found at the path (absent is a
 * value too). The whole is kept only as a SHA-256 digest: a secret literal's value is never held, logged or shown.
 */
final class ViolationSubject {

    private ViolationSubject() {
    }

    /** The digest of {@code violation}'s rule, normalised field and value in {@code tree}, the object it was found in. */
    static String of(Violation violation, JsonNode tree) {
        MessageDigest digest = sha256();
        update(digest, violation.ruleId());
        JsonNode node = tree;
        for (String segment : segments(violation.path())) {
            if (segment.startsWith("[")) {
                String inside = segment.substring(1, segment.length() - 1);
                if (node.isArray() && digits(inside)) {
                    int index = Integer.parseInt(inside);
                    node = index < node.size() ? node.get(index) : MissingNode.getInstance();
                    update(digest, "[" + itemName(node, inside) + "]");
                } else {
                    node = node.path(inside);
                    update(digest, "[" + inside + "]");
                }
            } else {
                node = node.path(segment);
                update(digest, "." + segment);
            }
        }
        update(digest, "=");
        canonical(digest, node);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@code a.b[0].c[key.with.dots]} is {@code a}, {@code b}, {@code [0]}, {@code c}, {@code [key.with.dots]}. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                int end = close < 0 ? path.length() : close + 1;
                segments.add(close < 0 ? path.substring(i) + "]" : path.substring(i, end));
                i = end;
            } else {
                int end = i;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                segments.add(path.substring(i, end));
                i = end;
            }
        }
        return segments;
    }

    /** A list item's identity: its {@code name}, a scalar's own value, else its index. */
    private static String itemName(JsonNode item, String index) {
        JsonNode name = item.path("name");
        if (name.isTextual()) {
            return "name=" + name.asText();
        }
        if (item.isValueNode()) {
            return "=" + item.asText();
        }
        return index;
    }

    /** The value in a form that does not depend on key order: objects by sorted key. */
    private static void canonical(MessageDigest digest, JsonNode node) {
        if (node.isMissingNode()) {
            update(digest, "(absent)");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            update(digest, "{");
            for (String name : names) {
                update(digest, name);
                update(digest, ":");
                canonical(digest, node.get(name));
                update(digest, ",");
            }
            update(digest, "}");
        } else if (node.isArray()) {
            update(digest, "[");
            for (Iterator<JsonNode> items = node.elements(); items.hasNext(); ) {
                canonical(digest, items.next());
                update(digest, ",");
            }
            update(digest, "]");
        } else {
            // JSON text keeps "0" (a string) apart from 0 (a number)
            update(digest, node.toString());
        }
    }

    private static boolean digits(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Length-prefixed, so that no two sequences of parts digest the same bytes. */
    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8),
                (byte) bytes.length});
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

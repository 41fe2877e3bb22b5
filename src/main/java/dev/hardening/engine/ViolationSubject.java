package dev.hardening.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.hardening.rules.Violation;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * What a violation is about, as the update ratchet compares it: the rule, the offending field and the value there.
 * The field is the violation's path with each list index replaced by what names the item ({@code containers[0]}
 * becomes {@code containers[name=app]}, {@code capabilities.add[1]} becomes {@code add[=SYS_ADMIN]}), so that
 * reordering containers, env vars or volumes changes nothing. The value is the JSON found at the path (absent is a
 * value too). The whole is kept only as a SHA-256 digest: a secret literal's value is never held, logged or shown.
 *
 * <p>One instance digests the subjects of one UPDATE, one at a time: not thread-safe.
 */
final class ViolationSubject {

    private final MessageDigest digest = sha256();
    /** What is digested, written here first so that the digest is updated once (per-byte updates cost more). */
    private byte[] buffer = new byte[512];
    private int length;

    /** A subject: the 256 bits of its digest. */
    record Digest(long a, long b, long c, long d) {
    }

    /** The digest of {@code violation}'s rule, normalised field and value in {@code tree}, the object it was found in. */
    Digest of(Violation violation, JsonNode tree) {
        length = 0;
        put(violation.ruleId());
        JsonNode node = tree;
        String path = violation.path();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                int end = close < 0 ? path.length() : close;
                int index = node.isArray() ? index(path, i + 1, end) : -1;
                if (index >= 0) {
                    node = index < node.size() ? node.get(index) : MissingNode.getInstance();
                    putItem(node, index);
                } else {
                    String key = path.substring(i + 1, end);
                    node = node.path(key);
                    put("[key]");
                    put(key);
                }
                i = end + 1;
            } else {
                int end = i;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                String field = path.substring(i, end);
                node = node.path(field);
                put(".");
                put(field);
                i = end;
            }
        }
        put("=");
        canonical(node);
        digest.reset();
        digest.update(buffer, 0, length);
        ByteBuffer bits = ByteBuffer.wrap(digest.digest());
        return new Digest(bits.getLong(), bits.getLong(), bits.getLong(), bits.getLong());
    }

    /** A list item's identity: its {@code name}, a scalar's own value, else its index. */
    private void putItem(JsonNode item, int index) {
        JsonNode name = item.path("name");
        if (name.isTextual()) {
            put("[name]");
            put(name.asText());
        } else if (item.isValueNode()) {
            put("[value]");
            put(item.asText());
        } else {
            put("[index]");
            put(Integer.toString(index));
        }
    }

    /** The value in a form that does not depend on key order: objects by sorted key. */
    private void canonical(JsonNode node) {
        if (node.isMissingNode()) {
            put("(absent)");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            put("{");
            for (String name : names) {
                put(name);
                put(":");
                canonical(node.get(name));
                put(",");
            }
            put("}");
        } else if (node.isArray()) {
            put("[");
            for (Iterator<JsonNode> items = node.elements(); items.hasNext(); ) {
                canonical(items.next());
                put(",");
            }
            put("]");
        } else {
            // the type first: "0" (a string) is not 0 (a number)
            put(node.getNodeType().name());
            put(node.asText());
        }
    }

    /** The list index written at {@code path[from, to)}, or -1 when it is not one (a map key). */
    private static int index(String path, int from, int to) {
        if (from == to || to - from > 9) {
            return -1;
        }
        int index = 0;
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        return index;
    }

    /**
     * Appends {@code text} length-prefixed, one byte per ASCII character and three for any other, so that no two
     * sequences of parts write the same bytes.
     */
    private void put(String text) {
        int chars = text.length();
        ensure(4 + 3 * chars);
        buffer[length++] = (byte) (chars >>> 24);
        buffer[length++] = (byte) (chars >>> 16);
        buffer[length++] = (byte) (chars >>> 8);
        buffer[length++] = (byte) chars;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                buffer[length++] = (byte) c;
            } else {
                buffer[length++] = (byte) 0x80;
                buffer[length++] = (byte) (c >>> 8);
                buffer[length++] = (byte) c;
            }
        }
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

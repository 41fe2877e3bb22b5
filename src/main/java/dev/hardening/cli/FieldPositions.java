package dev.hardening.cli;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the fields of one object sit in its file, looked up only for the paths violations name (the parsed YAML tree
 * keeps every node's mark, so nothing is indexed up front). A field that does not exist — a rule often reports a
 * missing one — resolves to its nearest existing parent.
 */
final class FieldPositions {

    private final Source source;
    private final Node root;

    FieldPositions(Source source, Node root) {
        this.source = source;
        this.root = root;
    }

    /** Where the object starts: its first key. */
    Position start() {
        return position(root.getStartMark());
    }

    /**
     * The key of the deepest existing field on {@code path}, e.g. {@code spec.template.spec.containers[0].image}
     * or {@code metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]}.
     */
    Position of(String path) {
        Node node = root;
        Mark best = root.getStartMark();
        for (Object segment : segments(path)) {
            NodeTuple entry = segment instanceof Integer ? null : entry(node, (String) segment);
            Node next;
            if (entry != null) {
                next = entry.getValueNode();
                best = entry.getKeyNode().getStartMark();
            } else if (segment instanceof Integer index && node instanceof SequenceNode sequence
                    && index < sequence.getValue().size()) {
                next = sequence.getValue().get(index);
                best = next.getStartMark();
            } else {
                break;
            }
            node = next;
        }
        return position(best);
    }

    /** The positions of item {@code index} of the sequence {@code field}, for the items of a List object. */
    FieldPositions item(String field, int index) {
        NodeTuple entry = entry(root, field);
        if (entry != null && entry.getValueNode() instanceof SequenceNode sequence && index < sequence.getValue().size()) {
            return new FieldPositions(source, sequence.getValue().get(index));
        }
        return this;
    }

    private Position position(Mark mark) {
        return source.position(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static NodeTuple entry(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && key.equals(scalar.getValue())) {
                    return tuple;
                }
            }
        }
        return null;
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

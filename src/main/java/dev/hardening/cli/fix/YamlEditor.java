package dev.hardening.cli.fix;

import dev.hardening.rules.Autofix;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies one {@link Autofix} to YAML text as the smallest text edit at the nodes the parser located: a scalar is
 * replaced where it stands, a new key is written as one more line of its mapping with the mapping's indentation (or as
 * one more entry of a flow mapping), a list item is appended or its lines removed. Nothing else of the text is
 * touched: comments, blank lines, quoting, anchors, line endings and the order of keys stay as they were. Never
 * re-serializes. A shape it cannot edit safely (an alias standing for the value, a list item sharing its line) is an
 * {@link UnfixableException}, never a guess.
 */
public final class YamlEditor {

    private final String text;
    /** Char index of each code point index the parser's marks count in; null when the text has no surrogate pair. */
    private final int[] charIndex;
    private final Node root;
    private final List<Replacement> replacements = new ArrayList<>();

    /** Characters {@code start} to {@code end} of the text become {@code text}. */
    public record Replacement(int start, int end, String text) {
    }

    /**
     * Where a path ends up: the node and the mapping entry holding it (null at the root or in a list); or, when
     * {@code missing} is not null, the deepest mapping that exists, the entry there whose value is null (or null),
     * and the keys missing below it.
     */
    private record Located(Node node, MappingNode mapping, NodeTuple tuple, List<String> missing) {
    }

    private YamlEditor(String text, Node root) {
        this.text = text;
        this.root = root;
        this.charIndex = text.length() == text.codePointCount(0, text.length()) ? null : codePointTable(text);
    }

    /**
     * The text with {@code fix} applied to the object whose node is {@code object} (a document, or an item of a List),
     * parsed from {@code text} with marks.
     */
    public static String apply(String text, Node object, Autofix fix) throws UnfixableException {
        return applyAll(text, edits(text, object, fix));
    }

    /**
     * The replacements that apply {@code fix}, to be applied with those of other objects of the same text at once
     * ({@link #applyAll}): objects of different documents never share text.
     */
    public static List<Replacement> edits(String text, Node object, Autofix fix) throws UnfixableException {
        YamlEditor editor = new YamlEditor(text, object);
        List<Object> segments = FieldPath.segments(fix.path());
        if (fix instanceof Autofix.SetValue set) {
            editor.setValue(segments, set.value());
        } else if (fix instanceof Autofix.AddItem add) {
            editor.addItem(segments, add.item());
        } else {
            editor.removeItem(segments);
        }
        return List.copyOf(editor.replacements);
    }

    /** {@code text} with every replacement made; they must not overlap. */
    public static String applyAll(String text, List<Replacement> replacements) {
        List<Replacement> sorted = new ArrayList<>(replacements);
        // from the end, so that each one's indices still hold; a stable sort keeps same-index inserts in order
        sorted.sort(Comparator.comparingInt(Replacement::start).reversed());
        StringBuilder out = new StringBuilder(text);
        for (Replacement r : sorted) {
            out.replace(r.start(), r.end(), r.text());
        }
        return out.toString();
    }

    private void setValue(List<Object> segments, Object value) throws UnfixableException {
        Located parent = walk(segments.subList(0, segments.size() - 1), segments);
        String key = name(segments.get(segments.size() - 1));
        if (parent.missing() != null) {
            create(parent.mapping(), parent.tuple(), with(parent.missing(), key), render(value, parent.mapping()));
            return;
        }
        MappingNode mapping = mapping(parent.node(), segments);
        NodeTuple tuple = direct(mapping, key);
        if (tuple == null || isNull(tuple.getValueNode())) {
            create(mapping, tuple, List.of(key), render(value, mapping));
            return;
        }
        Node current = tuple.getValueNode();
        if (isAlias(tuple) || !(current instanceof ScalarNode scalar)) {
            throw new UnfixableException(key + " is " + (isAlias(tuple) ? "an alias" : "not a scalar"));
        }
        DumperOptions.ScalarStyle style = scalar.getScalarStyle();
        String rendered = value instanceof String s && style == DumperOptions.ScalarStyle.DOUBLE_QUOTED ? "\"" + s + "\""
                : value instanceof String s && style == DumperOptions.ScalarStyle.SINGLE_QUOTED ? "'" + s + "'"
                : render(value, mapping);
        replace(start(current), end(current), rendered);
    }

    private void addItem(List<Object> segments, String item) throws UnfixableException {
        Located parent = walk(segments.subList(0, segments.size() - 1), segments);
        String key = name(segments.get(segments.size() - 1));
        if (parent.missing() != null) {
            create(parent.mapping(), parent.tuple(), with(parent.missing(), key), "[\"" + item + "\"]");
            return;
        }
        MappingNode mapping = mapping(parent.node(), segments);
        NodeTuple tuple = direct(mapping, key);
        boolean quoteKeys = quotedKeys(mapping);
        if (tuple == null || isNull(tuple.getValueNode())) {
            create(mapping, tuple, List.of(key), "[\"" + item + "\"]");
            return;
        }
        if (isAlias(tuple) || !(tuple.getValueNode() instanceof SequenceNode sequence)) {
            throw new UnfixableException(key + " is " + (isAlias(tuple) ? "an alias" : "not a list"));
        }
        List<Node> items = sequence.getValue();
        String rendered = items.isEmpty() ? (quoteKeys ? "\"" + item + "\"" : item) : styled(items.get(items.size() - 1), item);
        if (sequence.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            appendToFlow(sequence, '[', items.isEmpty() ? -1 : end(items.get(items.size() - 1)), rendered);
            return;
        }
        int dash = dashOf(items.get(0));
        int lineStart = lineStart(dash);
        String prefix = text.substring(lineStart, start(items.get(0)));
        insertLineAfter(lastIndex(sequence), prefix + rendered);
    }

    private void removeItem(List<Object> segments) throws UnfixableException {
        Located located = walk(segments.subList(0, segments.size() - 1), segments);
        if (located.missing() != null || !(located.node() instanceof SequenceNode sequence)) {
            throw new UnfixableException(path(segments) + " is not in a list");
        }
        int index = (Integer) segments.get(segments.size() - 1);
        List<Node> items = sequence.getValue();
        if (index >= items.size()) {
            throw new UnfixableException(path(segments) + " does not exist");
        }
        Node item = items.get(index);
        if (sequence.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            if (items.size() == 1) {
                replace(start(item), end(item), "");
            } else if (index < items.size() - 1) {
                replace(start(item), start(items.get(index + 1)), "");
            } else {
                replace(end(items.get(index - 1)), end(item), "");
            }
            return;
        }
        int dash = dashOf(item);
        int lineStart = lineStart(dash);
        if (!text.substring(lineStart, dash).isBlank()) {
            throw new UnfixableException(path(segments) + " shares its line with other content");
        }
        replace(lineStart, afterLine(lastIndex(item)), "");
        if (items.size() == 1 && located.tuple() != null) {
            // the last item goes: an empty list, not a null, stays after the key
            int colon = text.indexOf(':', end(located.tuple().getKeyNode()));
            replace(colon + 1, colon + 1, " []");
        }
    }

    /**
     * Follows {@code segments} from the object, as far as they exist. Mappings merged in with {@code <<} are followed
     * too: their keys are the object's.
     */
    private Located walk(List<Object> segments, List<Object> whole) throws UnfixableException {
        Located at = new Located(root, null, null, null);
        for (int i = 0; i < segments.size(); i++) {
            Object segment = segments.get(i);
            if (segment instanceof Integer index) {
                if (!(at.node() instanceof SequenceNode sequence) || index >= sequence.getValue().size()) {
                    throw new UnfixableException(path(whole.subList(0, i + 1)) + " does not exist");
                }
                at = new Located(sequence.getValue().get(index), null, null, null);
                continue;
            }
            MappingNode mapping = mapping(at.node(), whole.subList(0, i));
            NodeTuple tuple = find(mapping, (String) segment);
            if (tuple == null || isNull(tuple.getValueNode())) {
                List<String> missing = new ArrayList<>();
                for (Object rest : segments.subList(i, segments.size())) {
                    missing.add(name(rest));
                }
                return new Located(null, mapping, tuple, missing);
            }
            at = new Located(tuple.getValueNode(), mapping, tuple, null);
        }
        return at;
    }

    private static List<String> with(List<String> keys, String last) {
        List<String> all = new ArrayList<>(keys);
        all.add(last);
        return all;
    }

    /**
     * Writes {@code keys} (nested, the last with {@code leaf} as value) into {@code mapping}: a new entry, or the
     * value of {@code tuple} when it is there but null.
     */
    private void create(MappingNode mapping, NodeTuple tuple, List<String> keys, String leaf) throws UnfixableException {
        boolean quote = quotedKeys(mapping);
        if (tuple != null) {
            Node empty = tuple.getValueNode();
            if (isAlias(tuple)) {
                throw new UnfixableException(keys.get(0) + " is an alias");
            }
            List<String> below = keys.subList(1, keys.size());
            if (mapping.getFlowStyle() == DumperOptions.FlowStyle.FLOW || start(empty) != end(empty)) {
                // an explicit null (~, null) or a flow mapping: the value goes in its place, in flow style
                String value = below.isEmpty() ? leaf : flow(below, leaf, quote);
                if (start(empty) == end(empty)) {
                    value = " " + value;
                }
                replace(start(empty), end(empty), value);
                return;
            }
            int keyStart = start(tuple.getKeyNode());
            if (below.isEmpty()) {
                int colon = text.indexOf(':', end(tuple.getKeyNode()));
                replace(colon + 1, colon + 1, " " + leaf);
                return;
            }
            String indent = " ".repeat(column(keyStart) + step(mapping));
            int lineEnd = lineEnd(keyStart);
            replace(lineEnd, lineEnd, eolAt(lineEnd) + String.join(eolAt(lineEnd), block(below, leaf, indent, step(mapping), quote)));
            return;
        }
        if (mapping.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            String entry = key(keys.get(0), quote) + ": " + (keys.size() == 1 ? leaf : flow(keys.subList(1, keys.size()), leaf, quote));
            List<NodeTuple> tuples = mapping.getValue();
            appendToFlow(mapping, '{', tuples.isEmpty() ? -1 : valueEnd(tuples.get(tuples.size() - 1)), entry);
            return;
        }
        String indent = " ".repeat(column(start(mapping.getValue().get(0).getKeyNode())));
        List<String> lines = block(keys, leaf, indent, step(mapping), quote);
        insertLineAfter(lastIndex(mapping), String.join(eolAfter(lastIndex(mapping)), lines));
    }

    /** One more entry of a flow collection: after its last one ({@code lastEnd}), or first after its bracket (-1). */
    private void appendToFlow(Node collection, char open, int lastEnd, String entry) {
        if (lastEnd < 0) {
            int bracket = text.indexOf(open, start(collection));
            replace(bracket + 1, bracket + 1, entry);
        } else {
            replace(lastEnd, lastEnd, ", " + entry);
        }
    }

    private static List<String> block(List<String> keys, String leaf, String indent, int step, boolean quote) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String line = indent + " ".repeat(i * step) + key(keys.get(i), quote) + ":";
            lines.add(i == keys.size() - 1 ? line + " " + leaf : line);
        }
        return lines;
    }

    private static String flow(List<String> keys, String leaf, boolean quote) {
        String value = leaf;
        for (int i = keys.size() - 1; i >= 0; i--) {
            value = "{" + key(keys.get(i), quote) + ": " + value + "}";
        }
        return value;
    }

    private static String key(String name, boolean quote) {
        return quote ? "\"" + name + "\"" : name;
    }

    /** A new line after the line holding {@code index}; at the end of a text without a final line break, one first. */
    private void insertLineAfter(int index, String line) {
        int after = afterLine(index);
        String eol = eolAfter(index);
        if (after == text.length() && !(text.endsWith("\n") || text.endsWith("\r"))) {
            replace(after, after, eol + line);
        } else {
            replace(after, after, line + eol);
        }
    }

    // --- where things are -------------------------------------------------------------------------------------

    /** The index of the last character that belongs to {@code node} (not its trailing comments or blank lines). */
    private int lastIndex(Node node) {
        if (node instanceof MappingNode mapping && mapping.getFlowStyle() != DumperOptions.FlowStyle.FLOW
                && !mapping.getValue().isEmpty()) {
            NodeTuple last = mapping.getValue().get(mapping.getValue().size() - 1);
            if (isAlias(last)) {
                return valueEnd(last) - 1;
            }
            if (isNull(last.getValueNode()) && start(last.getValueNode()) == end(last.getValueNode())) {
                return text.indexOf(':', end(last.getKeyNode()));
            }
            return lastIndex(last.getValueNode());
        }
        if (node instanceof SequenceNode sequence && sequence.getFlowStyle() != DumperOptions.FlowStyle.FLOW
                && !sequence.getValue().isEmpty()) {
            return lastIndex(sequence.getValue().get(sequence.getValue().size() - 1));
        }
        int index = end(node) - 1;
        while (index > start(node) && Character.isWhitespace(text.charAt(index))) {
            index--;
        }
        return index;
    }

    /** Where the value of an entry ends; for an alias ({@code *name}), after its name. */
    private int valueEnd(NodeTuple tuple) {
        if (!isAlias(tuple)) {
            return end(tuple.getValueNode());
        }
        int i = text.indexOf('*', end(tuple.getKeyNode()));
        while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && ",}]".indexOf(text.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    /**
     * An alias: the parser hands back the anchored node itself, whose marks are where the anchor is defined, before
     * the key that refers to it.
     */
    private boolean isAlias(NodeTuple tuple) {
        return start(tuple.getValueNode()) < start(tuple.getKeyNode());
    }

    /** The {@code -} of a block list item. */
    private int dashOf(Node item) throws UnfixableException {
        int i = start(item) - 1;
        while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i--;
        }
        if (i < 0 || text.charAt(i) != '-') {
            throw new UnfixableException("unexpected list layout");
        }
        return i;
    }

    private int lineStart(int index) {
        int i = index;
        while (i > 0 && text.charAt(i - 1) != '\n' && text.charAt(i - 1) != '\r') {
            i--;
        }
        return i;
    }

    /** The index of the line break ending the line of {@code index} (or the text's end). */
    private int lineEnd(int index) {
        int i = index;
        while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    /** The start of the line after the one holding {@code index}. */
    private int afterLine(int index) {
        int i = lineEnd(index);
        if (i < text.length() && text.charAt(i) == '\r') {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '\n') {
            i++;
        }
        return i;
    }

    /** The line break of the line holding {@code index}; the text's first one when that line has none. */
    private String eolAfter(int index) {
        return eolAt(lineEnd(index));
    }

    private String eolAt(int lineEnd) {
        if (lineEnd < text.length()) {
            return text.startsWith("\r\n", lineEnd) ? "\r\n" : text.substring(lineEnd, lineEnd + 1);
        }
        int first = text.indexOf('\n');
        return first > 0 && text.charAt(first - 1) == '\r' ? "\r\n" : "\n";
    }

    private int column(int index) {
        return index - lineStart(index);
    }

    /**
     * How far this file indents a nested mapping: as below a block mapping of {@code mapping}, else as the first
     * nested block mapping of the object, else 2.
     */
    private int step(MappingNode mapping) {
        int local = nestedStep(mapping);
        if (local > 0) {
            return local;
        }
        int global = firstStep(root);
        return global > 0 ? global : 2;
    }

    private int nestedStep(MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (!isAlias(tuple) && tuple.getValueNode() instanceof MappingNode child
                    && child.getFlowStyle() != DumperOptions.FlowStyle.FLOW && !child.getValue().isEmpty()) {
                int step = column(start(child.getValue().get(0).getKeyNode())) - column(start(tuple.getKeyNode()));
                if (step > 0) {
                    return step;
                }
            }
        }
        return 0;
    }

    private int firstStep(Node node) {
        if (node instanceof MappingNode mapping && mapping.getFlowStyle() != DumperOptions.FlowStyle.FLOW) {
            int step = nestedStep(mapping);
            if (step > 0) {
                return step;
            }
            for (NodeTuple tuple : mapping.getValue()) {
                if (!isAlias(tuple)) {
                    step = firstStep(tuple.getValueNode());
                    if (step > 0) {
                        return step;
                    }
                }
            }
        }
        return 0;
    }

    // --- nodes -------------------------------------------------------------------------------------------------

    private MappingNode mapping(Node node, List<Object> at) throws UnfixableException {
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        throw new UnfixableException((at.isEmpty() ? "the object" : path(at)) + " is not a mapping");
    }

    /** The entry {@code key} of the mapping itself, or of a mapping merged into it with {@code <<}. */
    private static NodeTuple find(MappingNode mapping, String key) {
        NodeTuple own = direct(mapping, key);
        if (own != null) {
            return own;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                Node merged = tuple.getValueNode();
                for (Node source : merged instanceof SequenceNode list ? list.getValue() : List.of(merged)) {
                    if (source instanceof MappingNode sourceMapping) {
                        NodeTuple found = find(sourceMapping, key);
                        if (found != null) {
                            return found;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static NodeTuple direct(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar && key.equals(scalar.getValue())
                    && !tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                return tuple;
            }
        }
        return null;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    /** JSON, or YAML written with quoted keys: new keys are quoted the same way. */
    private static boolean quotedKeys(MappingNode mapping) {
        return !mapping.getValue().isEmpty() && mapping.getValue().get(0).getKeyNode() instanceof ScalarNode key
                && key.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED;
    }

    private static String render(Object value, MappingNode mapping) {
        if (value instanceof Boolean) {
            return value.toString();
        }
        return quotedKeys(mapping) ? "\"" + value + "\"" : value.toString();
    }

    /** {@code item} quoted as {@code like} is. */
    private static String styled(Node like, String item) {
        if (like instanceof ScalarNode scalar) {
            if (scalar.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED) {
                return "\"" + item + "\"";
            }
            if (scalar.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED) {
                return "'" + item + "'";
            }
        }
        return item;
    }

    private static String name(Object segment) throws UnfixableException {
        if (segment instanceof String name) {
            return name;
        }
        throw new UnfixableException("a list item is missing");
    }

    private static String path(List<Object> segments) {
        StringBuilder path = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(segment);
            }
        }
        return path.toString();
    }

    // --- indices and the result ----------------------------------------------------------------------------------

    private int start(Node node) {
        return toChar(node.getStartMark().getIndex());
    }

    private int end(Node node) {
        return toChar(node.getEndMark().getIndex());
    }

    private int toChar(int codePointIndex) {
        return charIndex == null ? codePointIndex : charIndex[codePointIndex];
    }

    private static int[] codePointTable(String text) {
        int[] table = new int[text.codePointCount(0, text.length()) + 1];
        int c = 0;
        for (int i = 0; i < table.length; i++) {
            table[i] = c;
            if (c < text.length()) {
                c += Character.charCount(text.codePointAt(c));
            }
        }
        return table;
    }

    private void replace(int start, int end, String replacement) {
        replacements.add(new Replacement(start, end, replacement));
    }
}

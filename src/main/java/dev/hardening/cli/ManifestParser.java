package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Splits an input into its documents, each as the JSON tree the API server would receive plus the positions of its
 * fields: YAML, or JSON ({@code *.json}, or text that starts with an object or an array) by {@link JsonDocuments}. Scalars resolve as YAML 1.1, like kubectl's YAML decoder ({@code yes} is a boolean,
 * {@code 0644} octal). Mappings are built as kubectl's decoder (go-yaml v2) builds them: entries in document order, a
 * later key replacing an earlier one (with a warning: kubectl says nothing, and the first value is silently lost), a
 * merge key {@code <<} setting the keys of its mappings at its place, the first of a list of merges winning.
 * Not thread-safe: one instance per thread.
 */
final class ManifestParser {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Yaml yaml;
    private final Consumer<String> warnings;

    /** A parser that drops its warnings (tests that read fixtures). */
    ManifestParser() {
        this(warning -> { });
    }

    /** @param warnings receives one line per oddity that kubectl accepts silently: {@code file:line:column: what} */
    ManifestParser(Consumer<String> warnings) {
        this.warnings = warnings;
        LoaderOptions options = new LoaderOptions();
        // a rendered chart or kustomize output is one stream; the default 3 MB would cut a large one
        options.setCodePointLimit(256 * 1024 * 1024);
        options.setProcessComments(false);
        DumperOptions dumper = new DumperOptions();
        yaml = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new FastResolver());
    }

    /** Every non-empty document of {@code source}, in a list (policies, tests: small inputs). */
    List<Document> parse(Source source) throws InputException {
        List<Document> documents = new ArrayList<>();
        parse(source, documents::add);
        return documents;
    }

    /**
     * Hands every non-empty document of {@code source} to {@code sink} as soon as it is read, so only one document
     * is in memory at a time (a file of any size is checked in a fixed heap). The first syntax error stops the file:
     * a parser cannot resync; the documents before it have been handed over.
     */
    void parse(Source source, Consumer<Document> sink) throws InputException {
        boolean jsonFile = source.name().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        try (Reader reader = source.open()) {
            if (jsonFile) {
                JsonDocuments.parse(source, reader, warnings, sink);
                return;
            }
            if (startsLikeJson(reader)) {
                // a YAML flow mapping also starts with "{": YAML decides when JSON fails, so keep the text to read twice
                String text = readAll(reader);
                Source inMemory = new Source(source.name(), source.file(), text, source.linesKnown());
                List<Document> documents = new ArrayList<>();
                try {
                    JsonDocuments.parse(inMemory, new StringReader(text), warnings, documents::add);
                } catch (InputException e) {
                    documents.clear();
                    parseYaml(source, new StringReader(text), documents::add);
                }
                documents.forEach(sink);
                return;
            }
            parseYaml(source, reader, sink);
        } catch (IOException e) {
            throw new InputException(ManifestInputs.readProblem(source, e));
        }
    }

    /** Whether the first character that is not blank (nor a byte order mark) opens a JSON object or array. */
    private static boolean startsLikeJson(Reader reader) throws IOException {
        reader.mark(1 << 16);
        try {
            for (int i = 0, c; i < (1 << 16) && (c = reader.read()) >= 0; i++) {
                if (!Character.isWhitespace(c) && c != '\uFEFF') {
                    return c == '{' || c == '[';
                }
            }
            return false;
        } finally {
            reader.reset();
        }
    }

    private static String readAll(Reader reader) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[1 << 16];
        for (int n; (n = reader.read(buffer)) >= 0; ) {
            text.append(buffer, 0, n);
        }
        return text.toString();
    }

    private void parseYaml(Source source, Reader reader, Consumer<Document> sink) throws InputException, IOException {
        int index = 0;
        try {
            for (Node node : yaml.composeAll(reader)) {
                if (node == null || isNull(node)) {
                    index++;
                    continue;
                }
                FieldPositions positions = new FieldPositions(new YamlTree(source, node));
                if (!(node instanceof MappingNode)) {
                    throw InputException.at(source, positions.start(),
                            "not a Kubernetes object: expected a mapping with apiVersion and kind");
                }
                sink.accept(new Document(source, index++, (ObjectNode) toJson(source, node), positions));
            }
        } catch (MarkedYAMLException e) {
            // getProblem() names what is wrong; getMessage() would quote the offending line, which may hold a secret
            throw InputException.at(source, position(source, e.getProblemMark()), "invalid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new InputException(source.name() + ": invalid YAML: " + firstLine(e.getMessage()));
        }
    }

    private JsonNode toJson(Source source, Node node) throws InputException {
        if (node instanceof MappingNode mapping) {
            ObjectNode object = JSON.objectNode();
            Set<String> explicit = new HashSet<>();
            for (NodeTuple tuple : mapping.getValue()) {
                put(source, object, tuple, explicit);
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JSON.arrayNode(sequence.getValue().size());
            for (Node item : sequence.getValue()) {
                array.add(toJson(source, item));
            }
            return array;
        }
        return scalar((ScalarNode) node);
    }

    /** @param explicit the keys this mapping has set itself so far: a second one is a duplicate, a merged one not */
    private void put(Source source, ObjectNode object, NodeTuple tuple, Set<String> explicit) throws InputException {
        Node key = tuple.getKeyNode();
        if (key.getTag().equals(Tag.MERGE)) {
            merge(source, object, key, tuple.getValueNode(), explicit);
            return;
        }
        if (!(key instanceof ScalarNode scalarKey) || key.getTag().equals(Tag.NULL)) {
            // kubectl refuses these too: JSON has only string keys ("unsupported map key")
            throw InputException.at(source, position(source, key.getStartMark()),
                    "a mapping key must be a string, a number or a boolean");
        }
        String name = keyName(scalarKey);
        if (!explicit.add(name)) {
            warnings.accept(source.at(position(source, key.getStartMark())) + ": duplicate key \"" + name
                    + "\": the last value is used, as kubectl uses it");
        }
        object.set(name, toJson(source, tuple.getValueNode()));
    }

    /**
     * {@code <<: *anchor} or {@code <<: [*a, *b]}: sets every key of the merged mappings, replacing the ones set
     * before it, as go-yaml v2 does; of a list, the first mapping wins (they are applied last to first).
     */
    private void merge(Source source, ObjectNode object, Node mergeKey, Node merged, Set<String> explicit)
            throws InputException {
        List<Node> sources = merged instanceof SequenceNode sequence ? sequence.getValue() : List.of(merged);
        for (int i = sources.size() - 1; i >= 0; i--) {
            Node node = sources.get(i);
            JsonNode value = toJson(source, node);
            if (!value.isObject()) {
                throw InputException.at(source, position(source, node.getStartMark()), "a merge key needs a mapping");
            }
            value.fields().forEachRemaining(field -> {
                if (explicit.remove(field.getKey())) {
                    warnings.accept(source.at(position(source, mergeKey.getStartMark())) + ": merge key replaces \""
                            + field.getKey() + "\" set before it: the merged value is used, as kubectl uses it");
                }
                object.set(field.getKey(), field.getValue());
            });
        }
    }

    /** The JSON name of a key, as kubectl converts it: {@code yes} is "true", {@code 0644} is "420". */
    private static String keyName(ScalarNode key) {
        JsonNode value = scalar(key);
        if (value.isIntegralNumber() || value.isBoolean()) {
            return value.asText();
        }
        if (value.isDouble()) {
            return java.math.BigDecimal.valueOf(value.doubleValue()).stripTrailingZeros().toPlainString();
        }
        return key.getValue();
    }

    private static JsonNode scalar(ScalarNode node) {
        String value = node.getValue();
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return JSON.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            String lower = value.toLowerCase(java.util.Locale.ROOT);
            return JSON.booleanNode(lower.equals("true") || lower.equals("yes") || lower.equals("on") || lower.equals("y"));
        }
        if (tag.equals(Tag.INT)) {
            BigInteger number = integer(value);
            if (number != null) {
                return number.bitLength() < 32 ? JSON.numberNode(number.intValue())
                        : number.bitLength() < 64 ? JSON.numberNode(number.longValue()) : JSON.numberNode(number);
            }
        } else if (tag.equals(Tag.FLOAT)) {
            try {
                return JSON.numberNode(Double.parseDouble(value.replace("_", "")));
            } catch (NumberFormatException e) {
                // .inf, .nan and sexagesimal floats stay text: no Kubernetes field takes them
            }
        }
        return JSON.textNode(value);
    }

    /** A YAML 1.1 int: decimal, 0b binary, 0x hex, leading-zero octal, underscores allowed; null if none of them. */
    private static BigInteger integer(String text) {
        String value = text.replace("_", "");
        boolean negative = value.startsWith("-");
        if (negative || value.startsWith("+")) {
            value = value.substring(1);
        }
        try {
            BigInteger number;
            if (value.startsWith("0b")) {
                number = new BigInteger(value.substring(2), 2);
            } else if (value.startsWith("0x")) {
                number = new BigInteger(value.substring(2), 16);
            } else if (value.length() > 1 && value.startsWith("0")) {
                number = new BigInteger(value.substring(1), 8);
            } else {
                number = new BigInteger(value);
            }
            return negative ? number.negate() : number;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    private static Position position(Source source, Mark mark) {
        return mark == null ? Position.NONE : source.position(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /**
     * YAML 1.1 resolution without a regular expression for the plain scalars that can only be strings: those that
     * start with a letter no implicit type (bool, null, int, float, timestamp, merge) starts with. Most keys and
     * values of a manifest are such, and the regular expressions were a tenth of the parsing time.
     */
    static final class FastResolver extends Resolver {
        @Override
        public Tag resolve(org.yaml.snakeyaml.nodes.NodeId kind, String value, boolean implicit) {
            // go-yaml v2 (kubectl) also reads the single letters y and n as booleans; SnakeYAML does not
            if (kind == org.yaml.snakeyaml.nodes.NodeId.scalar && implicit && value.length() == 1
                    && "yYnN".indexOf(value.charAt(0)) >= 0) {
                return Tag.BOOL;
            }
            if (kind == org.yaml.snakeyaml.nodes.NodeId.scalar && implicit && !value.isEmpty()
                    && onlyString(value.charAt(0))) {
                return Tag.STR;
            }
            return super.resolve(kind, value, implicit);
        }

        /** y/Y/n/N/t/T/f/F/o/O start booleans and null; digits, signs, '.', '~', '<' and '=' the rest. */
        private static boolean onlyString(char first) {
            return ((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))
                    && "yYnNtTfFoO".indexOf(first) < 0;
        }
    }
}

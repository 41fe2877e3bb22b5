package dev.hardening.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * JSON input ({@code *.json}, {@code kubectl get -o json}): one or more top-level values, each with the position of
 * every key and item recorded while parsing. YAML 1.1 parsers reject JSON's tab indentation, hence a parser of its own.
 */
final class JsonDocuments {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JsonDocuments() {
    }

    /** @param warnings receives a line per duplicate key: the last value is used, as kubectl (encoding/json) uses it */
    static void parse(Source source, Reader reader, Consumer<String> warnings, Consumer<Document> sink)
            throws InputException, IOException {
        try (JsonParser parser = FACTORY.createParser(reader)) {
            int index = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                Position start = position(source, parser.currentTokenLocation());
                if (token != JsonToken.START_OBJECT) {
                    throw InputException.at(source, start, "not a Kubernetes object: expected a JSON object with apiVersion and kind");
                }
                Tree tree = new Tree(start);
                ObjectNode object = (ObjectNode) value(source, parser, tree, warnings);
                sink.accept(new Document(source, index++, object, new FieldPositions(tree)));
            }
        } catch (JsonParseException e) {
            throw InputException.at(source, position(source, e.getLocation()), "invalid JSON: " + problem(e));
        }
    }

    /** The value at the parser's current token, recording positions into {@code tree}. */
    private static JsonNode value(Source source, JsonParser parser, Tree tree, Consumer<String> warnings)
            throws IOException, InputException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = JSON.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    Position key = position(source, parser.currentTokenLocation());
                    if (object.has(name)) {
                        warnings.accept(source.at(key) + ": duplicate key \"" + name + "\": the last value is used, as kubectl uses it");
                    }
                    parser.nextToken();
                    Tree child = new Tree(position(source, parser.currentTokenLocation()));
                    object.set(name, value(source, parser, child, warnings));
                    tree.fields.put(name, new PositionTree.Entry(key, child));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = JSON.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    Tree child = new Tree(position(source, parser.currentTokenLocation()));
                    array.add(value(source, parser, child, warnings));
                    tree.items.add(child);
                }
                return array;
            }
            case VALUE_STRING -> {
                return JSON.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> JSON.numberNode(parser.getIntValue());
                    case LONG -> JSON.numberNode(parser.getLongValue());
                    default -> JSON.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return JSON.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return JSON.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return JSON.booleanNode(false);
            }
            default -> {
                return JSON.nullNode();
            }
        }
    }

    /** Jackson's messages quote the offending token, which may be part of a secret: keep only their kind. */
    private static String problem(JsonParseException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Unexpected end-of-input")) {
            return "unexpected end of input";
        }
        if (message.startsWith("Unexpected character")) {
            return "unexpected character";
        }
        if (message.startsWith("Unrecognized token")) {
            return "unrecognized token";
        }
        if (message.startsWith("Illegal unquoted character")) {
            return "control character in a string (escape it)";
        }
        return "syntax error";
    }

    private static Position position(Source source, JsonLocation location) {
        return location == null ? Position.NONE : source.position(location.getLineNr(), location.getColumnNr());
    }

    /** Positions recorded while parsing. */
    private static final class Tree implements PositionTree {
        private final Position start;
        private final Map<String, Entry> fields = new LinkedHashMap<>();
        private final List<PositionTree> items = new ArrayList<>();

        Tree(Position start) {
            this.start = start;
        }

        @Override
        public Position start() {
            return start;
        }

        @Override
        public Entry field(String name) {
            return fields.get(name);
        }

        @Override
        public PositionTree item(int index) {
            return index < items.size() ? items.get(index) : null;
        }
    }
}

package dev.hardening.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Arrays;
import java.util.List;

/**
 * Reads a submitted object (a JSON tree) as its model class, the same way for admission and for the offline CLI, so
 * both see the same pod spec. A wrong field becomes its path, never its value (the value may be a secret).
 */
public final class ObjectReader {

    /** Unknown fields are ignored, as the API server's own decoding would drop them before storage. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ObjectReader() {
    }

    public static <T extends HasMetadata> T read(JsonNode node, Class<T> type) throws UnreadableObjectException {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (InvalidFormatException e) {
            throw new UnreadableObjectException(pathOf(e), acceptedValues(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw new UnreadableObjectException(pathOf(e), List.of());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UnreadableObjectException("", List.of());
        }
    }

    /**
     * Builds the reader of each kind's model class now rather than on its first object: Jackson introspecting the
     * fabric8 model costs a fresh JVM about 0.5 CPU-seconds for a Pod (docs/benchmarks.md), which the first review
     * after a start would otherwise wait for. Idempotent and thread-safe.
     */
    public static void prepare() {
        for (WorkloadKind kind : WorkloadKind.values()) {
            MAPPER.readerFor(kind.modelClass());
        }
    }

    /**
     * How messages name an object, in the webhook and the CLI alike: metadata.name, or its generateName followed by
     * {@code *}, or {@code (unnamed)}.
     */
    public static String displayName(JsonNode object) {
        JsonNode metadata = object == null ? null : object.get("metadata");
        String name = text(metadata, "name");
        if (!name.isEmpty()) {
            return name;
        }
        String generateName = text(metadata, "generateName");
        return generateName.isEmpty() ? "(unnamed)" : generateName + "*";
    }

    /** The first line of a refusal to judge an object, e.g. {@code Pod "web" cannot be checked: <problem>}. */
    public static String cannotBeChecked(String kind, String name, String problem) {
        return kind + " \"" + name + "\" cannot be checked: " + problem;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }

    /** {@code object} written as a JSON tree, the shape {@link #read} reads. */
    static JsonNode tree(HasMetadata object) {
        return MAPPER.valueToTree(object);
    }

    /** JSON path of the offending field, e.g. {@code spec.template.spec.containers[0].ports}. */
    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The values an enum-typed field takes, as written in YAML; empty for other types. */
    private static List<String> acceptedValues(Class<?> type) {
        if (type == null || !type.isEnum()) {
            return List.of();
        }
        return Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList();
    }

    /**
     * The object does not fit its kind's schema; {@link #path()} names where (empty when unknown) and, for a field
     * with a fixed set of values, {@link #acceptedValues()} lists them.
     */
    public static final class UnreadableObjectException extends Exception {
        private final String path;
        private final List<String> acceptedValues;

        UnreadableObjectException(String path, List<String> acceptedValues) {
            super(path, null, false, false);
            this.path = path;
            this.acceptedValues = acceptedValues;
        }

        public String path() {
            return path;
        }

        public List<String> acceptedValues() {
            return acceptedValues;
        }

        /** What went wrong, for an object of {@code kind}, with the path of the bad field when known. */
        public String problem(String kind) {
            return "cannot read it as a " + kind + ": unexpected value or type" + (path.isEmpty() ? "" : " at " + path);
        }
    }
}

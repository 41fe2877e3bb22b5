package dev.hardening.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hardening.rules.ObjectReader;
import dev.hardening.rules.Target;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.UncheckedIOException;

/**
 * Test input as a user writes it, decoded the way production decodes it: YAML to a JSON tree, then the engine's
 * {@link ObjectReader} (what the webhook and the CLI use), never a second decoder that could read a field otherwise.
 */
public final class Yaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Yaml() {
    }

    public static JsonNode tree(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code yaml} as {@code type}, e.g. a HardeningPolicy or a NetworkPolicy. */
    public static <T extends HasMetadata> T object(String yaml, Class<T> type) {
        return read(tree(yaml), type);
    }

    /** A judged kind (a workload or a Service) as its model class, chosen by its {@code kind}. */
    public static HasMetadata workload(String yaml) {
        JsonNode tree = tree(yaml);
        return read(tree, kindOf(tree).modelClass());
    }

    /** What the rules judge, built as admission builds it: the decoded object and its JSON. */
    public static Target target(String yaml) {
        JsonNode tree = tree(yaml);
        WorkloadKind kind = kindOf(tree);
        return kind.target(read(tree, kind.modelClass()), tree);
    }

    private static WorkloadKind kindOf(JsonNode tree) {
        String kind = tree.path("kind").asText();
        return WorkloadKind.ofKind(kind).orElseThrow(() -> new IllegalArgumentException("not a judged kind: " + kind));
    }

    private static <T extends HasMetadata> T read(JsonNode tree, Class<T> type) {
        try {
            return ObjectReader.read(tree, type);
        } catch (ObjectReader.UnreadableObjectException e) {
            throw new IllegalArgumentException("unreadable " + type.getSimpleName() + " at " + e.path(), e);
        }
    }
}

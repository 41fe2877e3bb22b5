package dev.hardening.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.hardening.chart.ChartRenderer.renderError;
import static dev.hardening.chart.ChartRenderer.sets;
import static org.assertj.core.api.Assertions.assertThat;

/** values.schema.json makes a wrong value fail at install time, and it stays in step with values.yaml. */
class ValuesSchemaTest {

    private static final Path VALUES = ChartRenderer.CHART.resolve("values.yaml");
    private static final Path SCHEMA = ChartRenderer.CHART.resolve("values.schema.json");

    static Stream<Arguments> rejectedValues() {
        return Stream.of(
                rejected("misspelt top-level key", sets("replica", 3), "replica"),
                rejected("misspelt nested key", sets("webhook.failurePolicyy", "Fail"), "failurePolicyy"),
                rejected("unknown failure policy", sets("webhook.failurePolicy", "Sometimes"), "failurePolicy", "Fail", "Ignore"),
                rejected("unknown certificate mode", sets("certificates.mode", "letsencrypt"), "mode", "self-managed"),
                rejected("unknown profile of the default policy", sets("defaultPolicy.profile", "Strict"), "profile", "Hardened"),
                rejected("digest that is not sha256", sets("image.digest", "latest"), "digest"),
                rejected("zero replicas", sets("replicas", 0), "replicas"),
                rejected("timeout beyond what the API server allows", sets("webhook.timeoutSeconds", 31), "timeoutSeconds"),
                rejected("unknown controller-children mode", sets("webhook.controllerChildren", "trust"),
                        "controllerChildren", "Trust", "Judge"),
                rejected("a username with a comma (the operator reads a comma-separated list)",
                        sets("webhook.controllerUsernames[0]", "a,b"), "controllerUsernames"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedValues")
    void badValueFailsWithAMessageNamingIt(Map<String, Object> sets, List<String> fragments) {
        assertThat(renderError(sets)).hasValueSatisfying(message -> assertThat(message)
                .contains("values don't meet the specifications of the schema")
                .contains(fragments));
    }

    @Test
    void everyValueHasASchemaEntryAndEverySchemaEntryAValue() throws IOException {
        Set<String> valuePaths = new TreeSet<>();
        collectValuePaths("", new YAMLMapper().readTree(VALUES.toFile()), valuePaths);
        JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile());
        Set<String> schemaPaths = new TreeSet<>();
        collectSchemaPaths("", schema, schema, schemaPaths);

        assertThat(valuePaths).as("values.yaml keys without a values.schema.json entry")
                .isSubsetOf(schemaPaths);
        assertThat(schemaPaths).as("values.schema.json entries without a value in values.yaml")
                .isSubsetOf(valuePaths);
    }

    @Test
    void everyObjectInTheSchemaRefusesUnknownKeys() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile());
        List<String> lax = new ArrayList<>();
        collectLaxObjects("#", schema, lax);

        assertThat(lax).as("schema objects with properties but without additionalProperties: false").isEmpty();
    }

    @Test
    void everyValueIsPrecededByAComment() throws IOException {
        List<String> lines = Files.readAllLines(VALUES);
        Pattern key = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9]*):.*");
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = key.matcher(lines.get(i));
            if (m.matches()) {
                String previous = i == 0 ? "" : lines.get(i - 1);
                if (!previous.startsWith(m.group(1) + "#")) {
                    undocumented.add((i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertThat(undocumented).as("values.yaml keys without a comment on the line above").isEmpty();
    }

    private static void collectValuePaths(String prefix, JsonNode node, Set<String> paths) {
        node.fieldNames().forEachRemaining(name -> {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            paths.add(path);
            JsonNode child = node.get(name);
            if (child.isObject()) {
                collectValuePaths(path, child, paths);
            }
        });
    }

    /** Declared properties, following $ref; free-form maps and array items are leaves. */
    private static void collectSchemaPaths(String prefix, JsonNode node, JsonNode root, Set<String> paths) {
        JsonNode resolved = resolve(node, root);
        JsonNode properties = resolved.get("properties");
        if (properties == null) {
            return;
        }
        properties.fieldNames().forEachRemaining(name -> {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            paths.add(path);
            collectSchemaPaths(path, properties.get(name), root, paths);
        });
    }

    private static JsonNode resolve(JsonNode node, JsonNode root) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        JsonNode target = root;
        for (String part : ref.asText().substring(2).split("/")) {
            target = target.get(part);
        }
        return target;
    }

    private static void collectLaxObjects(String pointer, JsonNode node, List<String> lax) {
        if (node.isObject()) {
            if (node.has("properties") && !node.path("additionalProperties").isBoolean()) {
                lax.add(pointer);
            } else if (node.has("properties") && node.get("additionalProperties").asBoolean()) {
                lax.add(pointer);
            }
            node.fields().forEachRemaining(e -> collectLaxObjects(pointer + "/" + e.getKey(), e.getValue(), lax));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectLaxObjects(pointer + "/" + i, node.get(i), lax);
            }
        }
    }

    private static Arguments rejected(String name, Map<String, Object> sets, String... fragments) {
        return Arguments.of(Named.of(name, sets), List.of(fragments));
    }
}

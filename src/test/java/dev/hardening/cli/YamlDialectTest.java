package dev.hardening.cli;

import dev.hardening.testing.Manifests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CLI reads YAML as kubectl reads it: every case of src/test/resources/cli/yaml-dialect decodes to what real
 * kubectl decoded it to (expected/, written by hack/yaml-dialect-expected.sh), or is refused where kubectl refuses it.
 */
class YamlDialectTest {

    private static final Path CASES = Path.of("src/test/resources/cli/yaml-dialect");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesAsKubectlDecodes(String name) throws Exception {
        Path file = CASES.resolve(name);
        String base = name.substring(0, name.lastIndexOf('.'));
        Source source = new Source(file.toString(), file, Files.readString(file), true);
        Path error = CASES.resolve("expected/" + base + ".error");
        if (Files.exists(error)) {
            assertThatThrownBy(() -> new ManifestParser().parse(source)).as("kubectl said: %s", Files.readString(error))
                    .isInstanceOf(InputException.class);
            return;
        }
        List<JsonNode> expected = new ArrayList<>();
        JSON.readerFor(JsonNode.class).readValues(CASES.resolve("expected/" + base + ".json").toFile())
                .forEachRemaining(node -> expected.add(withoutEmptyAnnotations((JsonNode) node)));
        List<JsonNode> actual = new ManifestParser().parse(source).stream().map(d -> (JsonNode) d.object()).toList();

        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            // 1.0 and 1 are the same JSON number; kubectl prints the shortest form
            assertThat(actual.get(i).equals(NUMERIC, expected.get(i))).as("document %d:%n ours:    %s%n kubectl: %s",
                    i, actual.get(i), expected.get(i)).isTrue();
        }
    }

    private static final Comparator<JsonNode> NUMERIC = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    /** {@code kubectl annotate --local} adds an empty annotations map; nothing else differs from what it read. */
    private static JsonNode withoutEmptyAnnotations(JsonNode object) {
        JsonNode annotations = object.path("metadata").path("annotations");
        if (annotations.isObject() && annotations.isEmpty()) {
            ((ObjectNode) object.path("metadata")).remove("annotations");
        }
        return object;
    }

    @Test
    void aMergeWithAnOverrideIsCheckedAndADuplicateKeyWarnsWithFileAndLine() {
        Path merged = Manifests.write(dir, "merged.yaml", Manifests.COMPLIANT
                .replace("      - name: app\n", "      - &app\n        name: app\n")
                + "      - <<: *app\n        name: sidecar\n        image: nginx:1.25\n");
        Path duplicate = Manifests.write(dir, "duplicate.yaml", Manifests.COMPLIANT.replace(
                "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true\n          allowPrivilegeEscalation: false"));

        Cli run = Cli.run("check", merged.toString(), duplicate.toString(), "-o", "json");

        assertThat(run.errLines()).containsExactly("warning: " + duplicate + ":22:11: duplicate key "
                + "\"allowPrivilegeEscalation\": the last value is used, as kubectl uses it");
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode report = CheckCommandTest.json(run);
        assertThat(CheckCommandTest.texts(report)).containsExactly("deny [image-digest] container \"sidecar\": image "
                + "\"nginx:1.25\" is not pinned by digest; set spec.template.spec.containers[1].image to nginx:1.25@sha256:<digest>");
        assertThat(report.path("objects").get(0).path("findings").get(0).path("line").asInt()).as("the sidecar's own image key").isEqualTo(29);
        assertThat(report.path("objects").get(1).path("verdict").asText()).isEqualTo("passed");
    }

    @Test
    void aMergeThatReplacesAKeySetBeforeItWarnsWhereTheSpecificationAndKubectlDisagree() throws Exception {
        Path file = CASES.resolve("merge-after-explicit.yaml");
        List<String> warnings = new ArrayList<>();

        new ManifestParser(warnings::add).parse(new Source(file.toString(), file, Files.readString(file), true));

        assertThat(warnings).containsExactly(file + ":10:5: merge key replaces \"app\" set before it: the merged "
                + "value is used, as kubectl uses it");
    }
}

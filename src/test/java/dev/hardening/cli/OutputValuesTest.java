package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/cli.md, "What output may contain", is the exact list of input fields whose values the CLI may print: every
 * rule fixture runs through it, and no value of any other field appears in what the findings say.
 */
class OutputValuesTest {

    private static final Path FIXTURES = Path.of("src/test/resources/rules");
    private static final List<Pattern> LISTED = listedFields();

    /** The backquoted paths of the first column of the table in docs/cli.md; {@code *} is any part of a path. */
    static List<Pattern> listedFields() {
        try {
            String docs = Files.readString(Path.of("docs/cli.md"));
            String section = docs.substring(docs.indexOf("## What output may contain"));
            section = section.substring(0, section.indexOf("\n## ", 3));
            List<Pattern> fields = new ArrayList<>();
            for (String line : section.lines().filter(l -> l.startsWith("| `")).toList()) {
                Matcher field = Pattern.compile("`([^`]+)`").matcher(line.substring(0, line.indexOf(" | ", 2)));
                while (field.find()) {
                    fields.add(Pattern.compile(Pattern.quote(field.group(1)).replace("*", "\\E.*\\Q")));
                }
            }
            assertThat(fields).as("the table in docs/cli.md").hasSizeGreaterThan(20);
            return fields;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void onlyTheListedFieldsValuesAppear(Path fixture) throws Exception {
        Cli run = Cli.run("check", fixture.toString(), "-o", "json", "--profile", "Hardened");
        StringBuilder said = new StringBuilder(run.err());
        CheckCommandTest.json(run).path("objects").forEach(o -> o.path("findings").forEach(f -> said.append(f.path("text"))
                .append(f.path("exemption")).append('\n')));

        for (Document document : new ManifestParser().parse(new Source(fixture.toString(), fixture, Files.readString(fixture), true))) {
            List<Map.Entry<String, String>> unlisted = new ArrayList<>();
            java.util.Set<String> listed = new java.util.HashSet<>();
            scalars("", document.object(), unlisted, listed);
            for (Map.Entry<String, String> field : unlisted) {
                if (listed.contains(field.getValue())) {
                    continue; // the same text is also a listed field's value: a label that repeats the container's name
                }
                // as a whole word: "Socket" (a hostPath type) is part of the fixed word tcpSocket
                assertThat(said.toString()).as("%s: %s is not in docs/cli.md's list", fixture, field.getKey())
                        .doesNotContainPattern("(?<![A-Za-z0-9])" + Pattern.quote(field.getValue()) + "(?![A-Za-z0-9])");
            }
        }
    }

    /**
     * Every scalar of the object: the listed fields' values, and the others long enough (7 characters) not to be a
     * word of the fixed texts ("secret", "Always").
     */
    private static void scalars(String path, JsonNode node, List<Map.Entry<String, String>> unlisted,
                                java.util.Set<String> listed) {
        if (node.isObject()) {
            ((ObjectNode) node).fields().forEachRemaining(field -> scalars(path.isEmpty() ? field.getKey()
                    : field.getKey().contains(".") || field.getKey().contains("/") ? path + "[" + field.getKey() + "]"
                    : path + "." + field.getKey(), field.getValue(), unlisted, listed));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scalars(path + "[" + i + "]", node.get(i), unlisted, listed);
            }
        } else if (node.isValueNode()) {
            String generic = path.replaceAll("\\[\\d+]", "[*]");
            if (LISTED.stream().anyMatch(p -> p.matcher(generic).matches() || p.matcher(path).matches())) {
                listed.add(node.asText());
            } else if (node.asText().length() >= 7) {
                unlisted.add(Map.entry(path, node.asText()));
            }
        }
    }
}

package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hardening.cli.fix.UnifiedDiff;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code hardening fix} on a corpus of manifests shaped like real ones (comments everywhere, anchors, flow style,
 * multi-document files, a List, odd indentation, Helm output), each also with CRLF line endings: afterwards check
 * finds none of the mechanical problems, a second fix changes nothing, and every line that needed no change is
 * byte-for-byte the same (compared as text lines, not by parsing).
 */
class FixCommandTest {

    /** The rules whose findings fix applies; run-as-non-root only for runAsNonRoot (runAsUser 0 needs a human). */

    /** What a fix may write: the fields it sets, their new parents, an added ALL. */
    private static final Pattern ADDED = Pattern.compile("^\\s*(-\\s*)?(\"?(securityContext|allowPrivilegeEscalation|"
            + "capabilities|drop|runAsNonRoot|seccompProfile|type|readOnlyRootFilesystem|privileged|add)\"?:.*|\"?ALL\"?)\\s*$");

    @TempDir
    Path dir;

    static Stream<Arguments> corpus() throws IOException, URISyntaxException {
        Path folder = Path.of(FixCommandTest.class.getResource("/fix/corpus").toURI());
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String text = Files.readString(file);
                String name = file.getFileName().toString();
                cases.add(arguments(Named.of(name, name), text));
                cases.add(arguments(Named.of(name + " with CRLF", name.replace(".yaml", "-crlf.yaml")),
                        text.replace("\n", "\r\n")));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void fixesTheMechanicalFindingsOnlyAndTouchesNothingElse(String name, String original) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, original);

        Cli fixed = Cli.run("fix", "--write", file.toString());
        assertThat(fixed.err()).isEmpty();
        assertThat(fixed.exitCode()).as(fixed.out()).isIn(0, 1);
        assertThat(fixed.outLines().get(0)).matches("fixed [1-9][0-9]* problems? in 1 of 1 file; [0-9]+ left for a human:?");
        String after = Files.readString(file);

        JsonNode report = CheckCommandTest.json(Cli.run("check", file.toString(), "-o", "json"));
        List<String> mechanicalLeft = new ArrayList<>();
        report.path("objects").forEach(o -> o.path("findings").forEach(f -> {
            // the rule that found it says whether its fix is mechanical: no second list of such rules here
            if (f.path("autofix").asBoolean()) {
                mechanicalLeft.add(f.path("rule").asText() + " " + f.path("path").asText());
            }
        }));
        assertThat(mechanicalLeft).as("mechanical findings after fix").isEmpty();
        // what is left is listed, each with where it is and its fix text
        assertThat(fixed.outLines()).hasSize(1 + CheckCommandTest.texts(report).size());

        Cli again = Cli.run("fix", file.toString());
        assertThat(again.out()).as("a second fix changes nothing").isEmpty();
        assertThat(again.errLines().get(0)).startsWith("fixed 0 problems in 0 of 1 file");
        assertThat(Files.readString(file)).isEqualTo(after);

        List<String> before = UnifiedDiff.lines(original);
        List<String> now = UnifiedDiff.lines(after);
        List<String> kept = commonLines(before, now);
        for (String line : removed(before, kept)) {
            assertThat(line).as("a changed or removed line").matches(Pattern.compile(
                    "^\\s*(\\{\\}|-\\s*\"?[A-Z_]+\"?|.*(privileged|allowPrivilegeEscalation|runAsNonRoot|type|readOnlyRootFilesystem|"
                            + "add|drop|securityContext|capabilities): .*)\\s*(#.*)?\\R?$", Pattern.DOTALL));
        }
        for (String line : removed(now, kept)) {
            String content = line.replaceAll("\\R$", "").replaceAll("\\s+#.*$", "");
            boolean flowLine = content.contains("{") || content.contains("[");
            assertThat(flowLine || ADDED.matcher(content).matches()).as("an added line: " + line).isTrue();
        }
        if (original.contains("\r\n")) {
            assertThat(after.replace("\r\n", "")).as("every line ends with CRLF").doesNotContain("\n");
        }
    }

    @Test
    void standardInputIsFixedToStandardOutputAndTheReportGoesToStandardError() throws IOException {
        String original = Files.readString(corpusFile("helm-rendered.yaml"));
        Path file = dir.resolve("same.yaml");
        Files.writeString(file, original);
        Cli.run("fix", "--write", file.toString());

        Cli piped = Cli.withStdin(original, "fix", "-f", "-");

        assertThat(piped.out()).isEqualTo(Files.readString(file));
        assertThat(piped.errLines().get(0)).isEqualTo("fixed 5 problems in 1 of 1 file; 3 left for a human:");
        assertThat(piped.errLines().get(1)).isEqualTo("<stdin>:44:11 Deployment/release-name-app [image-digest] "
                + "container \"app\": image \"nginx:1.16.0\" is not pinned by digest; set "
                + "spec.template.spec.containers[0].image to nginx:1.16.0@sha256:<digest>");
        assertThat(piped.exitCode()).isEqualTo(1);
    }

    @Test
    void theDefaultIsAUnifiedDiffAndTheFileIsNotChanged() throws IOException {
        Path file = dir.resolve("deploy.yaml");
        String original = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                spec:
                  securityContext:
                    runAsNonRoot: true
                    seccompProfile: {type: RuntimeDefault}
                  containers:
                  - name: app
                    image: app:1
                    securityContext:
                      privileged: true   # why?
                      allowPrivilegeEscalation: false
                      capabilities: {drop: [ALL]}
                """;
        Files.writeString(file, original);

        Cli diff = Cli.run("fix", "--profile", "Restricted", file.toString());

        assertThat(diff.exitCode()).isZero();
        assertThat(diff.out()).isEqualTo("--- " + file + "\n+++ " + file + "\n"
                + "@@ -10,6 +10,6 @@\n"
                + "   - name: app\n"
                + "     image: app:1\n"
                + "     securityContext:\n"
                + "-      privileged: true   # why?\n"
                + "+      privileged: false   # why?\n"
                + "       allowPrivilegeEscalation: false\n"
                + "       capabilities: {drop: [ALL]}\n");
        assertThat(diff.errLines()).containsExactly("fixed 1 problem in 1 of 1 file; 0 left for a human");
        assertThat(Files.readString(file)).isEqualTo(original);
    }

    @Test
    void anUnreadableFileIsAnErrorAndNothingIsWritten() throws IOException {
        Path good = dir.resolve("good.yaml");
        Path bad = dir.resolve("bad.yaml");
        String goodText = Files.readString(corpusFile("list.yaml"));
        Files.writeString(good, goodText);
        Files.writeString(bad, "apiVersion: v1\nkind: Pod\nspec: [\n");

        Cli run = Cli.run("fix", "--write", good.toString(), bad.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1).first().asString().startsWith("error: " + bad + ":4:1: invalid YAML: ");
        assertThat(Files.readString(good)).isEqualTo(goodText);
    }

    @Test
    void aFileIsRewrittenWithItsPermissionsAndByteOrderMark() throws IOException {
        Path file = dir.resolve("bom.yaml");
        String original = Files.readString(corpusFile("flow.yaml"));
        Files.write(file, ("\uFEFF" + original).getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));

        assertThat(Cli.run("fix", "--write", file.toString()).exitCode()).isEqualTo(1);

        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("\uFEFF{apiVersion: v1, kind: Pod");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("no temporary file left").containsExactly(file);
        }
    }

    private static Path corpusFile(String name) {
        try {
            return Path.of(FixCommandTest.class.getResource("/fix/corpus/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** A longest common subsequence of lines: the lines the fix kept exactly. */
    private static List<String> commonLines(List<String> a, List<String> b) {
        int[][] length = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                length[i][j] = a.get(i).equals(b.get(j)) ? length[i + 1][j + 1] + 1 : Math.max(length[i + 1][j], length[i][j + 1]);
            }
        }
        List<String> common = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            if (a.get(i).equals(b.get(j))) {
                common.add(a.get(i));
                i++;
                j++;
            } else if (length[i + 1][j] >= length[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return common;
    }

    /** The lines of {@code all} that are not in {@code kept} (a subsequence of it). */
    private static List<String> removed(List<String> all, List<String> kept) {
        List<String> removed = new ArrayList<>();
        int k = 0;
        for (String line : all) {
            if (k < kept.size() && kept.get(k).equals(line)) {
                k++;
            } else {
                removed.add(line);
            }
        }
        return removed;
    }
}

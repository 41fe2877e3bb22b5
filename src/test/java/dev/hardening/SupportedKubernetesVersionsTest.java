package dev.hardening;

import dev.hardening.lifecycle.SupportedKubernetes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supported Kubernetes range is stated once for users (docs/install.md "Supported Kubernetes versions", README)
 * and built and tested at both ends: the newest from hack/tools/k8s, the oldest ({@code k8s.oldest.version} in the pom)
 * from its own tools module, run by the failsafe execution oldest-kubernetes; the operator warns below the same one
 * ({@link SupportedKubernetes}). This keeps the sentences, the builds and the code from drifting apart.
 */
class SupportedKubernetesVersionsTest {

    private static final Pattern VERSION = Pattern.compile("v1\\.(\\d+)\\.(\\d+)");

    @Test
    void theDocumentedRangeIsTheTestedOneAndSpansAtLeastThreeMinors() throws IOException {
        String newest = pinnedKubernetes(Path.of("hack/tools/k8s/go.mod"));
        String oldest = pomProperty("k8s.oldest.version");
        int newestMinor = minor(newest);
        int oldestMinor = minor(oldest);

        assertThat(pinnedKubernetes(Path.of("hack/tools/k8s-1." + oldestMinor + "/go.mod")))
                .as("the oldest version's tools module pins exactly k8s.oldest.version").isEqualTo(oldest);
        assertThat(SupportedKubernetes.OLDEST_MINOR).as("what the operator warns below").isEqualTo(oldestMinor);
        assertThat(newestMinor - oldestMinor + 1).as("at least three minors, as managed clusters run them")
                .isGreaterThanOrEqualTo(3);

        String range = "Kubernetes 1." + oldestMinor + " to 1." + newestMinor;
        assertThat(section(read("docs/install.md"), "## Supported Kubernetes versions"))
                .startsWith(range + " (")
                .contains("`./mvnw verify` runs the end-to-end tests against " + newest.substring(1)
                        + " and runs the ones tagged `oldest-kubernetes` again against " + oldest.substring(1));
        assertThat(read("docs/install.md").replaceAll("\\s+", " ")).contains(range + " (see Supported Kubernetes versions)");
        assertThat(read("README.md").replaceAll("\\s+", " ")).contains(range + " (");
        assertThat(read("charts/hardening-operator/Chart.yaml")).as("docs/install.md: the chart declares no kubeVersion")
                .doesNotContainPattern("(?m)^kubeVersion:");
    }

    /** docs/install.md names exactly the end-to-end tests that also run against the oldest version. */
    @Test
    void theDocumentedOldestVersionSubsetIsTheTaggedOne() throws IOException {
        List<String> tagged = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/java/dev/hardening/e2e"))) {
            for (Path file : files.filter(f -> f.toString().endsWith("IT.java")).sorted().toList()) {
                String source = Files.readString(file);
                String className = file.getFileName().toString().replace(".java", "");
                if (source.matches("(?s).*@OldestKubernetes\\s+class .*")) {
                    tagged.add(className);
                }
                Matcher m = Pattern.compile("@OldestKubernetes\\s+void (\\w+)\\(").matcher(source);
                while (m.find()) {
                    tagged.add(className + "." + m.group(1));
                }
            }
        }
        Matcher listed = Pattern.compile("`(\\w+IT(?:\\.\\w+)?)`")
                .matcher(section(read("docs/install.md"), "## Supported Kubernetes versions"));
        TreeSet<String> documented = new TreeSet<>();
        while (listed.find()) {
            documented.add(listed.group(1));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(tagged);
    }

    private static int minor(String version) {
        Matcher m = VERSION.matcher(version);
        assertThat(m.matches()).as("a v1.x.y version: %s", version).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String pinnedKubernetes(Path goMod) throws IOException {
        Matcher m = Pattern.compile("(?m)^(?:require)?\\s*k8s\\.io/kubernetes (v\\S+)").matcher(Files.readString(goMod));
        assertThat(m.find()).as("k8s.io/kubernetes in %s", goMod).isTrue();
        return m.group(1);
    }

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(read("pom.xml"));
        assertThat(m.find()).as("%s in pom.xml", name).isTrue();
        return m.group(1);
    }

    /** The text of a {@code ## } section, without its heading, up to the next {@code ## } heading, lines joined. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("%s in the document", heading).isNotNegative();
        String rest = markdown.substring(start + heading.length() + 2).stripLeading();
        int end = rest.indexOf("\n## ");
        return (end < 0 ? rest : rest.substring(0, end)).replaceAll("\\s+", " ");
    }

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file));
    }
}

package dev.hardening.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's OpenReports CRDs are those of the Go module github.com/openreports/reports-api at the version of
 * hack/tools/openreports/go.mod (hack/openreports-crds.sh fetches it through the Go module proxy once, then reads the
 * module cache), and {@code reports.installCrds=true} renders exactly them.
 */
class OpenReportsCrdsTest {

    static final List<String> FILES = List.of("openreports.io_reports.yaml", "openreports.io_clusterreports.yaml");
    static final Path CHART_FILES = ChartRenderer.CHART.resolve("files/openreports");

    /** The module's CRD directory, as hack/openreports-crds.sh prints it. */
    static Path moduleCrds() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "hack/openreports-crds.sh").redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("hack/openreports-crds.sh: %s", err).isZero();
        return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void chartCarriesTheModulesCrdsUnchanged() throws Exception {
        Path module = moduleCrds();
        for (String file : FILES) {
            assertThat(CHART_FILES.resolve(file)).as("run hack/render-manifests.sh").exists();
            assertThat(Files.readString(CHART_FILES.resolve(file)))
                    .as("%s differs from the Go module's copy: run hack/render-manifests.sh", file)
                    .isEqualTo(Files.readString(module.resolve(file)));
        }
    }

    @Test
    void installCrdsRendersThemKeptOnUninstall() throws Exception {
        assertThat(openReports(ChartRenderer.render())).as("off by default").isEmpty();
        List<HasMetadata> crds = openReports(ChartRenderer.render(ChartRenderer.sets("reports.installCrds", true)));
        assertThat(crds).extracting(c -> c.getMetadata().getName())
                .containsExactly("reports.openreports.io", "clusterreports.openreports.io");
        YAMLMapper yaml = new YAMLMapper();
        for (int i = 0; i < FILES.size(); i++) {
            HasMetadata crd = crds.get(i);
            assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            JsonNode rendered = yaml.valueToTree(crd).path("spec");
            JsonNode module = yaml.readTree(CHART_FILES.resolve(FILES.get(i)).toFile()).path("spec");
            assertThat(rendered).as("spec of %s as rendered", FILES.get(i)).isEqualTo(module);
        }
        assertThat(openReports(ChartRenderer.render(ChartRenderer.sets("reports.installCrds", true,
                "reports.enabled", false)))).isEmpty();
    }

    private static List<HasMetadata> openReports(List<HasMetadata> objects) {
        return ChartRenderer.ofKind(objects, "CustomResourceDefinition").stream()
                .filter(c -> c.getMetadata().getName().endsWith(".openreports.io")).toList();
    }
}

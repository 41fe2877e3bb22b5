package dev.hardening.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartCrdsTest {

    @Test
    void chartShipsExactlyTheRepositoryCrds() throws IOException {
        List<Path> repository = RepositoryCrds.files(RepositoryCrds.REPOSITORY);
        assertThat(repository).as("crds/ holds the CRD generated from the policy model: run hack/regenerate.sh").isNotEmpty();

        List<Path> chart = RepositoryCrds.files(RepositoryCrds.CHART);
        assertThat(chart).as("charts/hardening-operator/crds/ differs from crds/: run hack/render-manifests.sh")
                .extracting(p -> p.getFileName().toString())
                .containsExactlyElementsOf(repository.stream().map(p -> p.getFileName().toString()).toList());
        for (Path crd : repository) {
            assertThat(Files.readString(RepositoryCrds.CHART.resolve(crd.getFileName().toString())))
                    .as("%s is stale in the chart: run hack/render-manifests.sh", crd.getFileName())
                    .isEqualTo(Files.readString(crd));
        }
    }

    /** The chart's cluster-default policy uses a served version, and its values accept exactly what the CRD accepts. */
    @Test
    void defaultPolicyValuesMatchTheCrd() throws IOException {
        List<Path> repository = RepositoryCrds.files(RepositoryCrds.REPOSITORY);
        assertThat(repository).as("crds/ holds the CRD generated from the policy model: run hack/regenerate.sh").isNotEmpty();
        JsonNode crd = new YAMLMapper().readTree(repository.get(0).toFile());
        JsonNode valuesSchema = new ObjectMapper().readTree(ChartRenderer.CHART.resolve("values.schema.json").toFile());

        HasMetadata policy = ChartRenderer.ofKind(ChartRenderer.render(), "HardeningPolicy").get(0);
        List<String> served = new ArrayList<>();
        crd.path("spec").path("versions").forEach(v -> {
            if (v.path("served").asBoolean()) {
                served.add(crd.path("spec").path("group").asText() + "/" + v.path("name").asText());
            }
        });
        assertThat(served).contains(policy.getApiVersion());

        JsonNode spec = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("properties").path("spec").path("properties");
        JsonNode values = valuesSchema.path("properties").path("defaultPolicy").path("properties");
        for (String field : List.of("profile", "mode")) {
            assertThat(strings(values.path(field).path("enum"))).as("values.schema.json defaultPolicy.%s vs the CRD", field)
                    .containsExactlyInAnyOrderElementsOf(strings(spec.path(field).path("enum")));
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}

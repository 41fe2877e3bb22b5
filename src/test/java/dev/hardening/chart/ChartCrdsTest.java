package dev.hardening.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hardening.policy.HardeningPolicy;
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
        assertThat(ChartRenderer.CHART.resolve("crds")).as("Helm never upgrades a chart's crds/ folder: the CRDs are templates")
                .doesNotExist();
        assertThat(chart).as("charts/hardening-operator/files/crds/ differs from crds/: run hack/render-manifests.sh")
                .extracting(p -> p.getFileName().toString())
                .containsExactlyElementsOf(repository.stream().map(p -> p.getFileName().toString()).toList());
        for (Path crd : repository) {
            assertThat(Files.readString(RepositoryCrds.CHART.resolve(crd.getFileName().toString())))
                    .as("%s is stale in the chart: run hack/render-manifests.sh", crd.getFileName())
                    .isEqualTo(Files.readString(crd));
        }
    }

    /** helm install and upgrade apply the CRD as generated, kept on uninstall unless crds.keep=false. */
    @Test
    void theCrdIsATemplateKeptOnUninstall() throws IOException {
        Path generated = RepositoryCrds.files(RepositoryCrds.REPOSITORY).get(0);
        JsonNode expected = new YAMLMapper().readTree(generated.toFile());

        HasMetadata crd = crd(ChartRenderer.render());
        assertThat(crd.getMetadata().getName()).isEqualTo(expected.path("metadata").path("name").asText());
        assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(crd.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");
        JsonNode rendered = null;
        for (String document : ChartRenderer.documents(ChartRenderer.renderText(java.util.Map.of()))) {
            JsonNode object = new YAMLMapper().readTree(document);
            if (object.path("kind").asText().equals("CustomResourceDefinition")
                    && object.path("metadata").path("name").asText().equals(crd.getMetadata().getName())) {
                rendered = object;
            }
        }
        assertThat(rendered).isNotNull();
        assertThat(rendered.path("spec")).as("the generated spec, unchanged").isEqualTo(expected.path("spec"));

        assertThat(crd(ChartRenderer.render(ChartRenderer.sets("crds.keep", false))).getMetadata().getAnnotations())
                .as("crds.keep=false: helm uninstall deletes it").doesNotContainKey("helm.sh/resource-policy");
        assertThat(ChartRenderer.ofKind(ChartRenderer.render(ChartRenderer.sets("crds.install", false)), "CustomResourceDefinition"))
                .as("crds.install=false: the admin applies crds/").isEmpty();
    }

    /** The operator's cluster-default policy settings accept exactly what the CRD accepts, and its version is served. */
    @Test
    void defaultPolicyValuesMatchTheCrd() throws IOException {
        List<Path> repository = RepositoryCrds.files(RepositoryCrds.REPOSITORY);
        assertThat(repository).as("crds/ holds the CRD generated from the policy model: run hack/regenerate.sh").isNotEmpty();
        JsonNode crd = new YAMLMapper().readTree(repository.get(0).toFile());
        JsonNode valuesSchema = new ObjectMapper().readTree(ChartRenderer.CHART.resolve("values.schema.json").toFile());

        List<String> served = new ArrayList<>();
        crd.path("spec").path("versions").forEach(v -> {
            if (v.path("served").asBoolean()) {
                served.add(crd.path("spec").path("group").asText() + "/" + v.path("name").asText());
            }
        });
        assertThat(served).contains(HardeningPolicy.GROUP + "/" + HardeningPolicy.VERSION);

        JsonNode spec = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("properties").path("spec").path("properties");
        JsonNode values = valuesSchema.path("properties").path("defaultPolicy").path("properties");
        for (String field : List.of("profile", "mode")) {
            assertThat(strings(values.path(field).path("enum"))).as("values.schema.json defaultPolicy.%s vs the CRD", field)
                    .containsExactlyInAnyOrderElementsOf(strings(spec.path(field).path("enum")));
        }
    }

    private static HasMetadata crd(List<HasMetadata> objects) {
        List<HasMetadata> crds = ChartRenderer.ofKind(objects, "CustomResourceDefinition");
        assertThat(crds).extracting(c -> c.getMetadata().getName())
                .containsExactly("hardeningpolicies.hardening.dev", "imagescans.hardening.dev");
        return crds.get(0);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}

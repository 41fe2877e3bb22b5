package dev.hardening.chart;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class ChartCrdsTest {

    @Test
    void chartShipsExactlyTheRepositoryCrds() throws IOException {
        List<Path> repository = RepositoryCrds.files(RepositoryCrds.REPOSITORY);
        assumeFalse(repository.isEmpty(), "crds/ has no CRD yet (generated from the policy model); nothing to compare");

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
}

package dev.hardening.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The CRD files of the repository's crds/ (generated from the Java model), and of the chart's copy (files/crds/, rendered by templates/crds.yaml). */
final class RepositoryCrds {

    static final Path REPOSITORY = Path.of("crds");
    static final Path CHART = ChartRenderer.CHART.resolve("files/crds");

    private RepositoryCrds() {
    }

    static List<Path> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.hardening.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The product pieces an end-to-end test needs: the CRD, the chart and the packaged operator. A missing piece fails
 * the test with a message naming it and how to make it; it never skips.
 */
final class Pieces {

    static final String CRD_FILE = "crds/hardeningpolicies.hardening.dev-v1alpha1.yml";
    static final String CHART_DIR = "charts/hardening-operator";
    static final String OPERATOR_JAR = "target/quarkus-app/quarkus-run.jar";

    private Pieces() {
    }

    static Path crd() {
        return required(Project.root().resolve(CRD_FILE), "run hack/regenerate.sh");
    }

    static Path chart() {
        Path chart = Project.root().resolve(CHART_DIR);
        required(chart.resolve("Chart.yaml"), "the chart is part of the repository");
        return chart;
    }

    /** The jar is built in the package phase, so {@code ./mvnw verify} builds it before the *IT tests. */
    static Path operatorJar() {
        crd();
        return required(Project.root().resolve(OPERATOR_JAR), "run ./mvnw package");
    }

    private static Path required(Path file, String remedy) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + Project.root().relativize(file) + ": " + remedy);
        }
        return file;
    }
}

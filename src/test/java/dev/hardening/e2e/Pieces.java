package dev.hardening.e2e;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The product pieces an end-to-end test needs. A test whose piece is not in the build yet is skipped with a message
 * naming it; once the piece is there the test runs (and must pass).
 */
final class Pieces {

    static final String CRD_FILE = "crds/hardeningpolicies.hardening.dev-v1alpha1.yml";
    static final String CHART_DIR = "charts/hardening-operator";
    static final String OPERATOR_JAR = "target/quarkus-app/quarkus-run.jar";

    private Pieces() {
    }

    static Path crd() {
        Path crd = Project.root().resolve(CRD_FILE);
        Assumptions.assumeTrue(Files.isRegularFile(crd), "HardeningPolicy CRD not merged yet: no " + CRD_FILE);
        return crd;
    }

    static Path chart() {
        Path chart = Project.root().resolve(CHART_DIR);
        Assumptions.assumeTrue(Files.isRegularFile(chart.resolve("Chart.yaml")), "Helm chart not merged yet: no " + CHART_DIR);
        return chart;
    }

    /**
     * The packaged operator, once it can register its own webhook (the certificates piece). The jar is built in
     * the package phase, so under {@code ./mvnw verify} a missing jar is a failure, not a skip.
     */
    static Path operatorJar() {
        crd();
        Assumptions.assumeTrue(registersWebhook(),
                "webhook registration (ValidatingWebhookConfiguration) not merged yet");
        Path jar = Project.root().resolve(OPERATOR_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + OPERATOR_JAR + ": run ./mvnw package (verify builds it before the *IT tests)");
        }
        return jar;
    }

    /** True when some production class refers to ValidatingWebhookConfiguration in its bytecode (not a comment). */
    private static boolean registersWebhook() {
        Path classes = Project.root().resolve("target/classes/dev/hardening");
        if (!Files.isDirectory(classes)) {
            return false;
        }
        byte[] needle = "ValidatingWebhookConfiguration".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (var files = Files.walk(classes)) {
            return files.filter(p -> p.toString().endsWith(".class")).anyMatch(p -> contains(read(p), needle));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

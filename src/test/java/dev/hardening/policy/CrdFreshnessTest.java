package dev.hardening.policy;

import io.fabric8.crdv2.generator.CRDGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed crds/ files must be what the generator makes of the Java model. The operator SDK also writes a copy
 * to target/kubernetes/ at build, but without {@link PrinterColumnOrder} (its post-processor hook did not take effect),
 * so this test runs the same generator itself, into target/crd-freshness/, independent of build order. To refresh: {@code hack/regenerate.sh}
 * (it runs this test with {@code -Dhardening.regenerate=true}, then copies the CRDs into the chart and manifests/).
 */
class CrdFreshnessTest {

    /** Named for the API version it serves; the generator names its output for the CRD schema version (v1). */
    static final String FILE = "hardeningpolicies.hardening.dev-v1alpha1.yml";
    static final Path COMMITTED = Path.of("crds", FILE);
    /** Committed file name to generated file name, for every custom resource of the model. */
    private static final Map<String, String> FILES = Map.of(
            FILE, "hardeningpolicies.hardening.dev-v1.yml",
            "imagescans.hardening.dev-v1alpha1.yml", "imagescans.hardening.dev-v1.yml");

    @Test
    void committedCrdsMatchTheModel() throws IOException {
        Path out = Files.createDirectories(Path.of("target", "crd-freshness"));
        new CRDGenerator().inOutputDir(out.toFile()).forCRDVersions("v1")
                .withPostProcessor(new PrinterColumnOrder())
                .customResourceClasses(HardeningPolicy.class, ImageScan.class).generate();
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            Path committed = Path.of("crds", file.getKey());
            String generated = Files.readString(out.resolve(file.getValue()));
            if (Boolean.getBoolean("hardening.regenerate")) {
                Files.createDirectories(committed.getParent());
                Files.writeString(committed, generated);
            }
            assertThat(committed).as("crds/%s is missing: run hack/regenerate.sh", file.getKey()).exists();
            assertThat(Files.readString(committed))
                    .as("crds/%s is stale: run hack/regenerate.sh", file.getKey())
                    .isEqualTo(generated);
        }
    }
}

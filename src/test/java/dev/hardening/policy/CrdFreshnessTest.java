package dev.hardening.policy;

import io.fabric8.crdv2.generator.CRDGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed crds/ file must be what the generator makes of the Java model. The operator SDK also writes a copy
 * to target/kubernetes/ at build, but without {@link PrinterColumnOrder} (its post-processor hook did not take effect),
 * so this test runs the same generator itself, into target/crd-freshness/, independent of build order. To refresh: {@code hack/regenerate.sh}
 * (it runs this test with {@code -Dhardening.regenerate=true}, then copies the CRD into the chart and manifests/).
 */
class CrdFreshnessTest {

    /** Named for the API version it serves; the generator names its output for the CRD schema version (v1). */
    static final String FILE = "hardeningpolicies.hardening.dev-v1alpha1.yml";
    private static final String GENERATED = "hardeningpolicies.hardening.dev-v1.yml";
    static final Path COMMITTED = Path.of("crds", FILE);

    @Test
    void committedCrdMatchesTheModel() throws IOException {
        Path out = Files.createDirectories(Path.of("target", "crd-freshness"));
        new CRDGenerator().inOutputDir(out.toFile()).forCRDVersions("v1")
                .withPostProcessor(new PrinterColumnOrder())
                .customResourceClasses(HardeningPolicy.class).generate();
        String generated = Files.readString(out.resolve(GENERATED));
        if (Boolean.getBoolean("hardening.regenerate")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, generated);
        }
        assertThat(COMMITTED).as("crds/%s is missing: run hack/regenerate.sh", FILE).exists();
        assertThat(Files.readString(COMMITTED))
                .as("crds/%s is stale: run hack/regenerate.sh", FILE)
                .isEqualTo(generated);
    }
}

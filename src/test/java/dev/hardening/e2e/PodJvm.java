package dev.hardening.e2e;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The JVM arguments of the operator's container, for a java process outside any container: the image's options
 * ({@code src/main/docker/jvm.options}, the file the Dockerfile uses) and the chart's {@code resources.limits} (from
 * the committed rendering in {@code manifests/}, kept fresh by ManifestsFreshnessTest) as {@code -XX:MaxRAM} and
 * {@code -XX:ActiveProcessorCount}: what the JVM reads from the Pod's cgroup. The heap, the garbage collector and the
 * exit on OutOfMemoryError are then the Pod's; only the kernel's hard limit on the whole process is not emulated.
 */
final class PodJvm {

    static final String OPTIONS = "src/main/docker/jvm.options";

    private PodJvm() {
    }

    /** The arguments between {@code java} and {@code -jar}. */
    static List<String> arguments() {
        Path options = Project.root().resolve(OPTIONS);
        if (!Files.isRegularFile(options)) {
            throw new IllegalStateException("no " + OPTIONS + ": the image's JVM options are missing");
        }
        Map<String, Quantity> limits = chartLimits();
        return List.of("@" + options,
                "-XX:MaxRAM=" + Quantity.getAmountInBytes(limits.get("memory")).toBigInteger(),
                "-XX:ActiveProcessorCount=" + Quantity.getAmountInBytes(limits.get("cpu"))
                        .setScale(0, RoundingMode.CEILING).max(BigDecimal.ONE).intValueExact());
    }

    /** The chart's memory limit, in bytes (what the kernel would hold the container's RSS to). */
    static long memoryLimitBytes() {
        return Quantity.getAmountInBytes(chartLimits().get("memory")).longValueExact();
    }

    private static Map<String, Quantity> chartLimits() {
        try (var files = Files.list(Project.root().resolve("manifests"))) {
            Path file = files.filter(p -> p.getFileName().toString().matches("\\d+-deployment-hardening-operator\\.yaml"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "no manifests/NN-deployment-hardening-operator.yaml: run hack/render-manifests.sh"));
            Deployment deployment = Serialization.unmarshal(Files.readString(file), Deployment.class);
            return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

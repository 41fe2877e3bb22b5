package dev.hardening.chart;

import dev.hardening.engine.CompiledPolicy;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.engine.PolicyViolation;
import dev.hardening.rules.Target;
import dev.hardening.rules.Violation;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.hardening.chart.ChartRenderer.sets;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator follows its own rules: every workload the chart renders passes the Hardened profile. */
class SelfComplianceTest {

    static Stream<Arguments> installations() {
        return Stream.of(
                Arguments.of(Named.of("default values", Map.of())),
                Arguments.of(Named.of("one replica", sets("replicas", 1))),
                Arguments.of(Named.of("cert-manager mode with NetworkPolicy and ServiceMonitor",
                        sets("certificates.mode", "cert-manager", "networkPolicy.enabled", true, "serviceMonitor.enabled", true))),
                Arguments.of(Named.of("external certificates, pinned tag and pull secret",
                        sets("certificates.mode", "external", "certificates.external.secretName", "tls",
                                "image.tag", "0.1.0", "image.digest", "sha256:" + "ab".repeat(32),
                                "imagePullSecrets[0].name", "regcred"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installations")
    void everyRenderedWorkloadHasZeroHardenedViolations(Map<String, Object> sets) {
        CompiledPolicy hardened = compile("profile: Hardened");

        List<Target> workloads = workloads(ChartRenderer.render(sets));
        assertThat(workloads).as("the chart renders the operator Deployment").isNotEmpty();
        List<String> violations = new ArrayList<>();
        for (Target workload : workloads) {
            for (PolicyViolation found : hardened.evaluate(workload, Instant.now())) {
                Violation v = found.violation();
                violations.add(workload.kind().kind() + "/" + workload.objectName() + " " + v.path() + ": " + v.describe());
            }
        }
        assertThat(violations).as("Hardened violations of the chart's own workloads (rules checked: %s)",
                hardened.rules().stream().map(r -> r.rule().id()).toList()).isEmpty();
    }

    /** The check can fail: the image-digest rule catches the tag-only image that image.allowTag lets through. */
    @Test
    void aTagOnlyImageIsCaughtByTheImageDigestRule() {
        CompiledPolicy imageDigest = compile("""
                profile: None
                rules:
                - id: image-digest""");

        List<Target> workloads = workloads(ChartRenderer.render(
                sets("image.digest", "", "image.tag", "dev", "image.allowTag", true)));

        assertThat(workloads).flatExtracting(w -> imageDigest.evaluate(w, Instant.now()).stream()
                        .map(PolicyViolation::violation).toList())
                .isNotEmpty()
                .allSatisfy(v -> {
                    assertThat(v.ruleId()).isEqualTo("image-digest");
                    assertThat(v.path()).startsWith("spec.template.spec.containers[0]");
                });
    }

    /** A HardeningPolicy with {@code spec}, compiled as the operator compiles one. */
    private static CompiledPolicy compile(String spec) {
        HardeningPolicy policy = Serialization.unmarshal("""
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata:
                  name: self-compliance
                  namespace: hardening-system
                spec:
                """ + spec.indent(2), HardeningPolicy.class);
        PolicyCompiler.Compilation compilation = PolicyCompiler.compile(policy);
        assertThat(compilation.errors()).isEmpty();
        return compilation.policy();
    }

    private static List<Target> workloads(List<HasMetadata> objects) {
        List<Target> targets = new ArrayList<>();
        for (HasMetadata object : objects) {
            WorkloadKind.ofKind(object.getKind())
                    .filter(kind -> kind.modelClass().isInstance(object))
                    .ifPresent(kind -> targets.add(kind.target(object)));
        }
        return targets;
    }
}

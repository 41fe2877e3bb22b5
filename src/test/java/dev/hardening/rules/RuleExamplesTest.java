package dev.hardening.rules;

import dev.hardening.testing.Yaml;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples docs/rules.md shows tell the truth: every rule's failing snippet fails that rule and its passing
 * snippet passes, read as a Pod (or, for the rules that judge Services, a Service) the way a user would paste it.
 */
class RuleExamplesTest {

    /**
     * image-registry's examples are written for a policy that allows registry.example.com/; no other rule reads it.
     * The scan rules' examples, for a cluster that knows a CRITICAL finding in digest a...a and a clean scan of b...b.
     */
    private static final RuleSettings SETTINGS = new RuleSettings(List.of("registry.example.com/"))
            .at(Instant.parse("2026-12-04T00:00:00Z"), ScanLookup.of(List.of(
                    scan("a", new ScanFinding("CVE-2019-14697", "musl", "1.1.20-r4", "1.1.20-r5", Severity.CRITICAL, "")),
                    scan("b"))));

    private static ScanResult scan(String hex, ScanFinding... findings) {
        return new ScanResult("sha256:" + hex.repeat(64), null, "example", true, "trivy", "0.74.0",
                Instant.parse("2026-12-01T00:00:00Z"), Map.of(Severity.CRITICAL, findings.length), List.of(findings), false);
    }

    @TestFactory
    Stream<DynamicTest> examplesMatchTheirVerdicts() {
        return RuleCatalogue.all().stream().flatMap(rule -> Stream.of(
                DynamicTest.dynamicTest(rule.id() + " failing example fails", () ->
                        assertThat(asTarget(rule, rule.example().failing()).violationsOf(rule, SETTINGS)).isNotEmpty()
                                .allSatisfy(v -> assertThat(v.ruleId()).isEqualTo(rule.id()))),
                DynamicTest.dynamicTest(rule.id() + " passing example passes", () ->
                        assertThat(asTarget(rule, rule.example().passing()).violationsOf(rule, SETTINGS)).isEmpty())));
    }

    @TestFactory
    Stream<DynamicTest> examplesStartAtThePodSpec() {
        return RuleCatalogue.all().stream().map(rule -> DynamicTest.dynamicTest(rule.id(), () -> {
            assertThat(rule.example().failing()).startsWith("spec:\n");
            assertThat(rule.example().passing()).startsWith("spec:\n");
        }));
    }

    private static Target asTarget(Rule rule, String snippet) {
        if (rule.judges() == Target.Type.SERVICE) {
            return Yaml.target("apiVersion: v1\nkind: Service\nmetadata:\n  name: example\n" + snippet);
        }
        if (rule.judges() == Target.Type.COVERAGE) {
            NetworkPolicy policy = Yaml.object("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                    + "metadata:\n  name: example\n  namespace: example\n" + snippet, NetworkPolicy.class);
            PodTarget pod = (PodTarget) Yaml.target("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: example\n"
                    + "  labels: {app: web}\nspec:\n  containers:\n  - {name: app, image: registry.example.com/app:1.0}\n");
            return new CoverageTarget(pod, "example", NetworkPolicies.of(List.of(policy), "example"));
        }
        return asPod(snippet);
    }

    private static PodTarget asPod(String snippet) {
        return (PodTarget) Yaml.target("apiVersion: v1\nkind: Pod\nmetadata:\n  name: example\n" + snippet);
    }
}

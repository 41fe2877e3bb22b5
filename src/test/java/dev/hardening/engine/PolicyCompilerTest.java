package dev.hardening.engine;

import dev.hardening.policy.HardeningPolicy;
import dev.hardening.testing.PolicyYaml;
import dev.hardening.rules.Profile;
import dev.hardening.rules.Violation;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PolicyCompilerTest {

    static Stream<Arguments> effectiveRuleScenarios() {
        return Stream.of(
                scenario("profile rules take the policy mode", """
                        profile: Baseline
                        mode: Warn
                        """, withMode(Profile.Baseline, "Warn")),
                scenario("listed rule is added with the policy mode", """
                        profile: None
                        rules:
                        - id: image-tag
                        """, Map.of("image-tag", "Enforce")),
                scenario("listed mode overrides the profile's", """
                        profile: None
                        mode: Audit
                        rules:
                        - id: image-tag
                          mode: Enforce
                        - id: resource-requests
                        """, Map.of("image-tag", "Enforce", "resource-requests", "Audit")),
                scenario("Off removes a profile rule", """
                        profile: Baseline
                        rules:
                        - id: no-privileged
                          mode: "Off"
                        """, without(withMode(Profile.Baseline, "Enforce"), "no-privileged")),
                scenario("None with nothing listed evaluates nothing", "profile: None", Map.of()));
    }

    private static Arguments scenario(String name, String spec, Map<String, String> expected) {
        return arguments(Named.of(name, spec), expected);
    }

    private static Map<String, String> withMode(Profile profile, String mode) {
        Map<String, String> rules = new LinkedHashMap<>();
        profile.ruleIds().forEach(id -> rules.put(id, mode));
        return rules;
    }

    private static Map<String, String> without(Map<String, String> rules, String id) {
        rules.remove(id);
        return rules;
    }

    @ParameterizedTest
    @MethodSource("effectiveRuleScenarios")
    void computesEffectiveRules(String spec, Map<String, String> expected) {
        PolicyCompiler.Compilation compilation = PolicyCompiler.compile(PolicyYaml.policy("payments", "p", spec));
        assertThat(compilation.errors()).isEmpty();
        Map<String, String> actual = new LinkedHashMap<>();
        compilation.policy().rules().forEach(r -> actual.put(r.rule().id(), r.mode().name()));
        // rules the catalogue does not (yet) hold cannot be compiled; compare on what it holds
        Map<String, String> known = new LinkedHashMap<>(expected);
        known.keySet().retainAll(dev.hardening.rules.RuleCatalogue.ids());
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(known);
    }

    @Test
    void keepsRefGenerationAndRegistries() {
        HardeningPolicy resource = PolicyYaml.policy("payments", "baseline", """
                profile: None
                rules:
                - id: image-registry
                registries: ["registry.example.com/"]
                """);
        resource.getMetadata().setGeneration(7L);
        CompiledPolicy compiled = PolicyCompiler.compile(resource).policy();
        assertThat(compiled.ref()).hasToString("payments/baseline");
        assertThat(compiled.generation()).isEqualTo(7);
        assertThat(compiled.settings().registries()).containsExactly("registry.example.com/");
    }

    @Test
    void invalidPolicyCompilesToErrorsOnly() {
        PolicyCompiler.Compilation compilation = PolicyCompiler.compile(PolicyYaml.policy("payments", "p", """
                rules:
                - id: image-registry
                """));
        assertThat(compilation.valid()).isFalse();
        assertThat(compilation.policy()).isNull();
        assertThat(FieldError.join(compilation.errors()))
                .isEqualTo("spec.registries: Required value: rule image-registry is in effect and needs allowed prefixes");
    }

    static final Instant EXPIRES = Instant.parse("2027-01-31T00:00:00Z");

    static Stream<Arguments> exemptionScenarios() {
        Violation container = new Violation("read-only-root-filesystem", "spec.containers[0].securityContext",
                "legacy", "registry.example.com/legacy/app:1", "m", "f");
        Violation otherImage = new Violation("read-only-root-filesystem", "spec.containers[0].securityContext",
                "legacy", "docker.io/library/app:1", "m", "f");
        Violation otherContainer = new Violation("read-only-root-filesystem", "spec.containers[1].securityContext",
                "web", "registry.example.com/legacy/app:1", "m", "f");
        Violation otherRule = new Violation("resource-limits", "spec.containers[0].resources",
                "legacy", "registry.example.com/legacy/app:1", "m", "f");
        Violation podLevel = new Violation("read-only-root-filesystem", "spec.hostNetwork", null, null, "m", "f");
        Instant before = EXPIRES.minusNanos(1);
        return Stream.of(
                exemption("matching container and image, before expiry", container, before, true),
                exemption("one nanosecond before expiry still applies", container, EXPIRES.minusNanos(1), true),
                exemption("at the expiry instant it no longer applies", container, EXPIRES, false),
                exemption("after expiry it no longer applies", container, EXPIRES.plusSeconds(1), false),
                exemption("image outside the glob", otherImage, before, false),
                exemption("another container", otherContainer, before, false),
                exemption("another rule", otherRule, before, false),
                exemption("pod-level violation is not covered by a selective exemption", podLevel, before, false));
    }

    private static Arguments exemption(String name, Violation violation, Instant now, boolean covered) {
        return arguments(Named.of(name, violation), now, covered);
    }

    @ParameterizedTest
    @MethodSource("exemptionScenarios")
    void matchesExemptionsUntilTheyExpire(Violation violation, Instant now, boolean covered) {
        CompiledPolicy compiled = PolicyCompiler.compile(PolicyYaml.policy("payments", "p", """
                exemptions:
                - rules: [read-only-root-filesystem]
                  containers: [legacy]
                  images: ["registry.example.com/legacy/*"]
                  reason: "writes its cache to /var/cache; ticket SEC-123"
                  expires: "2027-01-31T00:00:00Z"
                """)).policy();
        assertThat(compiled.exemptionFor(violation, "api", now).isPresent()).isEqualTo(covered);
    }

    @Test
    void exemptionWithoutSelectorsCoversPodLevelViolations() {
        CompiledPolicy compiled = PolicyCompiler.compile(PolicyYaml.policy("payments", "p", """
                exemptions:
                - rules: [no-host-namespaces]
                  reason: node agent
                """)).policy();
        Violation podLevel = new Violation("no-host-namespaces", "spec.hostNetwork", null, null, "m", "f");
        assertThat(compiled.exemptionFor(podLevel, "api", EXPIRES)).isPresent();
        assertThat(compiled.exemptions().get(0).expires()).isNull();
    }

    @Test
    void exemptionWithNamesCoversOnlyTheNamedObjects() {
        CompiledPolicy compiled = PolicyCompiler.compile(PolicyYaml.policy("ingress", "p", """
                exemptions:
                - rules: [service-node-port, service-load-balancer]
                  names: [ingress-nginx-controller]
                  reason: the ingress controller is the one public entry point
                """)).policy();
        Violation nodePort = new Violation("service-node-port", "spec.type", null, null, "m", "f");
        assertThat(compiled.exemptionFor(nodePort, "ingress-nginx-controller", EXPIRES)).isPresent();
        assertThat(compiled.exemptionFor(nodePort, "metrics", EXPIRES)).isEmpty();
        assertThat(compiled.exemptionFor(nodePort, null, EXPIRES)).as("a generateName create names no object").isEmpty();
    }
}

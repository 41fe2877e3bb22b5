package dev.hardening.engine;

import dev.hardening.testing.Yaml;
import dev.hardening.policy.PolicyRef;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.WorkloadKind;
import dev.hardening.testing.StubRules;
import dev.hardening.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class AdmissionDeciderTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String PINNED = "registry.example.com/app@sha256:" + "a".repeat(64);

    private static CompiledPolicy policy(String name, RuleMode digestMode, CompiledExemption... exemptions) {
        return new CompiledPolicy(new PolicyRef("payments", name), 1,
                List.of(new EffectiveRule(StubRules.UNPINNED, digestMode), new EffectiveRule(StubRules.HOST_NETWORK, RuleMode.Enforce)),
                RuleSettings.DEFAULTS, List.of(exemptions));
    }

    private static PodTarget deployment(boolean hostNetwork, String... images) {
        DeploymentBuilder builder = new DeploymentBuilder().withNewMetadata().withName("api").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withHostNetwork(hostNetwork).endSpec().endTemplate().endSpec();
        Deployment deployment = builder.build();
        for (int i = 0; i < images.length; i++) {
            deployment.getSpec().getTemplate().getSpec().getContainers().add(
                    new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("c" + i).withImage(images[i]).build());
        }
        return PodTarget.of(WorkloadKind.DEPLOYMENT, deployment);
    }

    @Test
    void eachModeLeadsToItsOutcome() {
        for (RuleMode mode : List.of(RuleMode.Enforce, RuleMode.Warn, RuleMode.Audit)) {
            List<Finding> findings = AdmissionDecider.findings(deployment(false, "nginx:1.25"), null, false,
                    List.of(policy("p", mode)), NOW);
            FindingVerdict expected = switch (mode) {
                case Enforce -> FindingVerdict.DENY;
                case Warn -> FindingVerdict.WARN;
                default -> FindingVerdict.AUDIT;
            };
            assertThat(findings).as("mode %s", mode).extracting(Finding::outcome).containsExactly(expected);
        }
    }

    @Test
    void everyViolationIsKeptWithItsPath() {
        List<Finding> findings = AdmissionDecider.findings(deployment(true, "nginx:1.25", "redis"), null, false,
                List.of(policy("p", RuleMode.Enforce)), NOW);
        assertThat(findings).extracting(f -> f.violation().ruleId(), f -> f.violation().path(), Finding::outcome)
                .containsExactly(
                        tuple("stub-digest", "spec.template.spec.containers[0].image", FindingVerdict.DENY),
                        tuple("stub-digest", "spec.template.spec.containers[1].image", FindingVerdict.DENY),
                        tuple("stub-host-network", "spec.template.spec.hostNetwork", FindingVerdict.DENY));
    }

    @Test
    void eachPolicyIsJudgedOnItsOwn() {
        List<Finding> findings = AdmissionDecider.findings(deployment(false, "nginx:1.25"), null, false,
                List.of(policy("strict", RuleMode.Enforce), policy("lax", RuleMode.Warn)), NOW);
        assertThat(findings).extracting(f -> f.policy().name(), Finding::outcome)
                .containsExactly(tuple("strict", FindingVerdict.DENY), tuple("lax", FindingVerdict.WARN));
    }

    @Test
    void anExemptionCoversOnlyUntilItExpires() {
        Instant expires = NOW.plusSeconds(60);
        CompiledPolicy exempting = policy("p", RuleMode.Enforce,
                new CompiledExemption(0, Set.of("stub-digest"), Set.of("c0"), List.of(), "legacy", expires));
        PodTarget target = deployment(false, "nginx:1.25");

        assertThat(AdmissionDecider.findings(target, null, false, List.of(exempting), expires.minusMillis(1)))
                .extracting(Finding::outcome).containsExactly(FindingVerdict.EXEMPT);
        assertThat(AdmissionDecider.findings(target, null, false, List.of(exempting), expires))
                .extracting(Finding::outcome).containsExactly(FindingVerdict.DENY);
    }

    @Test
    void anUpdateKeepsViolationsTheOldObjectAlreadyHad() {
        PodTarget before = deployment(true, "nginx:1.25");
        PodTarget scaled = deployment(true, "nginx:1.25");

        List<Finding> findings = AdmissionDecider.findings(scaled, before, false, List.of(policy("p", RuleMode.Enforce)), NOW);

        assertThat(findings).extracting(Finding::outcome, Finding::downgrade).containsExactly(
                tuple(FindingVerdict.WARN, Finding.Downgrade.ALREADY_PRESENT), tuple(FindingVerdict.WARN, Finding.Downgrade.ALREADY_PRESENT));
    }

    @Test
    void changingAnImageRejudgesThatContainer() {
        PodTarget before = deployment(false, "nginx:1.25", "redis:7");
        PodTarget retagged = deployment(false, "nginx:1.26", "redis:7");

        List<Finding> findings = AdmissionDecider.findings(retagged, before, false, List.of(policy("p", RuleMode.Enforce)), NOW);

        assertThat(findings).extracting(f -> f.violation().container(), Finding::outcome).containsExactly(
                tuple("c0", FindingVerdict.DENY), tuple("c1", FindingVerdict.WARN));
    }

    @Test
    void aViolationTheUpdateIntroducesDenies() {
        PodTarget before = deployment(false, PINNED);
        PodTarget after = deployment(true, PINNED);

        List<Finding> findings = AdmissionDecider.findings(after, before, false, List.of(policy("p", RuleMode.Enforce)), NOW);

        assertThat(findings).extracting(f -> f.violation().ruleId(), Finding::outcome)
                .containsExactly(tuple("stub-host-network", FindingVerdict.DENY));
    }

    /** A legacy Pod judged by the whole Hardened profile, its spec given as YAML at pod-spec level. */
    private static PodTarget pod(String podSpec) {
        return (PodTarget) Yaml.target("apiVersion: v1\nkind: Pod\nmetadata:\n  name: legacy\nspec:\n" + podSpec.indent(2));
    }

    private static final String LEGACY = """
            containers:
            - name: app
              image: nginx:1.25
              env:
              - {name: LOG_LEVEL, value: info}
              - {name: DB_PASSWORD, value: legacy-password-1}
              securityContext:
                capabilities: {add: [NET_ADMIN, SYS_ADMIN]}
              volumeMounts:
              - {name: logs, mountPath: /var/log/app}
            - name: metrics
              image: prom/statsd-exporter:v0.26.0
            volumes:
            - name: logs
              hostPath: {path: /var/log/app}
            """;

    private static List<Finding> update(String before, String after) {
        return AdmissionDecider.findings(pod(after), pod(before), false,
                List.of(TestPolicies.profile("payments", "p", Profile.Hardened, RuleMode.Enforce)), NOW);
    }

    private static List<String> denied(List<Finding> findings) {
        return findings.stream().filter(f -> f.outcome() == FindingVerdict.DENY)
                .map(f -> f.violation().ruleId() + " " + f.violation().path()).toList();
    }

    @Test
    void reorderingContainersEnvVarsAndVolumesChangesNothing() {
        String reordered = """
                volumes:
                - name: cache
                  emptyDir: {}
                - name: logs
                  hostPath: {path: /var/log/app}
                containers:
                - name: metrics
                  image: prom/statsd-exporter:v0.26.0
                - name: app
                  image: nginx:1.25
                  env:
                  - {name: DB_PASSWORD, value: legacy-password-1}
                  - {name: LOG_LEVEL, value: info}
                  securityContext:
                    capabilities: {add: [SYS_ADMIN]}
                  volumeMounts:
                  - {name: logs, mountPath: /var/log/app}
                """;

        List<Finding> findings = update(LEGACY, reordered);

        assertThat(findings).isNotEmpty().allSatisfy(f -> assertThat(f.downgrade()).isEqualTo(Finding.Downgrade.ALREADY_PRESENT));
        assertThat(findings).extracting(f -> f.violation().path())
                .contains("spec.volumes[1].hostPath", "spec.containers[1].env[0].value",
                        "spec.containers[1].securityContext.capabilities.add[0]");
    }

    @Test
    void aHostPathChangedToTheRootIsNew() {
        assertThat(denied(update(LEGACY, LEGACY.replace("hostPath: {path: /var/log/app}", "hostPath: {path: /}"))))
                .containsExactly("no-host-path spec.volumes[0].hostPath", "restricted-volume-types spec.volumes[0].hostPath");
    }

    @Test
    void runAsUserZeroWhereRunAsNonRootWasMerelyUnsetIsNew() {
        String root = LEGACY.replace("    capabilities: {add: [NET_ADMIN, SYS_ADMIN]}",
                "    capabilities: {add: [NET_ADMIN, SYS_ADMIN]}\n    runAsUser: 0");

        assertThat(denied(update(LEGACY, root))).containsExactly("run-as-non-root spec.containers[0].securityContext.runAsUser");
    }

    @Test
    void aSecondSecretLiteralOrANewSecretValueIsNew() {
        String second = LEGACY.replace("  - {name: DB_PASSWORD, value: legacy-password-1}",
                "  - {name: DB_PASSWORD, value: legacy-password-1}\n  - {name: API_TOKEN, value: tok-2f9c81d7e3}");
        String changed = LEGACY.replace("legacy-password-1", "legacy-password-2");

        assertThat(denied(update(LEGACY, second))).containsExactly("no-plaintext-secrets spec.containers[0].env[2].value");
        assertThat(denied(update(LEGACY, changed))).containsExactly("no-plaintext-secrets spec.containers[0].env[1].value");
        assertThat(denied(update(LEGACY, LEGACY))).isEmpty();
    }

    @Test
    void aCapabilityAddedToALegacyListIsNew() {
        String more = LEGACY.replace("add: [NET_ADMIN, SYS_ADMIN]", "add: [NET_ADMIN, SYS_ADMIN, SYS_PTRACE]");

        assertThat(denied(update(LEGACY, more))).containsExactly(
                "baseline-capabilities spec.containers[0].securityContext.capabilities.add[2]",
                "drop-all-capabilities spec.containers[0].securityContext.capabilities.add[2]");
    }

    @Test
    void mirrorPodsAreNeverDenied() {
        Pod pod = new PodBuilder().withNewMetadata().withName("etcd-node1").endMetadata()
                .withNewSpec().withHostNetwork(true).addNewContainer().withName("etcd").withImage("etcd:3.6").endContainer()
                .endSpec().build();

        List<Finding> findings = AdmissionDecider.findings(PodTarget.of(WorkloadKind.POD, pod), null, true,
                List.of(policy("p", RuleMode.Enforce)), NOW);

        assertThat(findings).extracting(Finding::outcome, Finding::downgrade).containsOnly(
                tuple(FindingVerdict.WARN, Finding.Downgrade.MIRROR_POD));
    }

    @Test
    void aCompliantObjectHasNoFindings() {
        assertThat(AdmissionDecider.findings(deployment(false, PINNED), null, false, List.of(policy("p", RuleMode.Enforce)), NOW))
                .isEmpty();
    }
}

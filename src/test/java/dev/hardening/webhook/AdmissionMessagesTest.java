package dev.hardening.webhook;

import dev.hardening.engine.Finding;
import dev.hardening.engine.FindingVerdict;
import dev.hardening.policy.PolicyRef;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Violation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionMessagesTest {

    private static final PolicyRef PAYMENTS = new PolicyRef("payments", "baseline");
    private static final PolicyRef DEFAULT = new PolicyRef("hardening-system", "cluster-default");

    private static Finding finding(PolicyRef policy, FindingVerdict outcome, Finding.Downgrade downgrade, Violation violation) {
        return new Finding(policy, violation, RuleMode.Enforce, outcome, downgrade);
    }

    private static Violation digest(int index) {
        return new Violation("image-digest", "spec.template.spec.containers[" + index + "].image", "app" + index,
                "nginx:1.25", "image \"nginx:1.25\" is not pinned by digest",
                "set spec.template.spec.containers[" + index + "].image to nginx:1.25@sha256:<digest>");
    }

    private static final Violation HOST_NETWORK = new Violation("no-host-namespaces", "spec.template.spec.hostNetwork",
            null, null, "hostNetwork is true", "remove spec.template.spec.hostNetwork or set it to false");

    @Test
    void aDenialHasAHeaderPerPolicyAndALinePerViolation() {
        String message = AdmissionMessages.denial("Deployment", "api", List.of(
                finding(PAYMENTS, FindingVerdict.DENY, null, digest(0)),
                finding(PAYMENTS, FindingVerdict.DENY, null, HOST_NETWORK),
                finding(DEFAULT, FindingVerdict.DENY, null, digest(0))));

        assertThat(message).isEqualTo("""
                Deployment "api" violates HardeningPolicy "payments/baseline" (2 problems):
                - [image-digest] container "app0": image "nginx:1.25" is not pinned by digest; set spec.template.spec.containers[0].image to nginx:1.25@sha256:<digest>
                - [no-host-namespaces] hostNetwork is true; remove spec.template.spec.hostNetwork or set it to false
                Deployment "api" violates HardeningPolicy "hardening-system/cluster-default" (1 problem):
                - [image-digest] container "app0": image "nginx:1.25" is not pinned by digest; set spec.template.spec.containers[0].image to nginx:1.25@sha256:<digest>""");
    }

    @Test
    void aLongDenialIsCappedWithACount() {
        List<Finding> many = IntStream.range(0, 30).mapToObj(i -> finding(PAYMENTS, FindingVerdict.DENY, null, digest(i))).toList();

        List<String> lines = AdmissionMessages.denial("Pod", "web", many).lines().toList();

        assertThat(lines).hasSize(1 + AdmissionMessages.MAX_DENIAL_LINES + 1);
        assertThat(lines.get(0)).isEqualTo("Pod \"web\" violates HardeningPolicy \"payments/baseline\" (30 problems):");
        assertThat(lines.get(25)).startsWith("- [image-digest] container \"app24\"");
        assertThat(lines.get(26)).isEqualTo("- and 5 more");
    }

    @Test
    void warningsSayWhyAnEnforcedViolationWasAllowed() {
        List<String> warnings = AdmissionMessages.warnings(List.of(
                finding(PAYMENTS, FindingVerdict.WARN, Finding.Downgrade.ALREADY_PRESENT, HOST_NETWORK),
                finding(PAYMENTS, FindingVerdict.WARN, Finding.Downgrade.MIRROR_POD, digest(0)),
                finding(PAYMENTS, FindingVerdict.WARN, null, digest(1))));

        assertThat(warnings).containsExactly(
                "[no-host-namespaces] hostNetwork is true (already present; enforced once changed)",
                "[image-digest] container \"app0\": image \"nginx:1.25\" is not pinned by digest (mirror pod: not enforced)",
                "[image-digest] container \"app1\": image \"nginx:1.25\" is not pinned by digest");
        assertThat(warnings).noneMatch(w -> w.startsWith("Warning"));
    }

    @Test
    void aShortProblemIsWarnedAboutWithItsFix() {
        Violation probe = new Violation("health-probes", "spec.containers[0].livenessProbe", "app", "nginx",
                "no livenessProbe", "add spec.containers[0].livenessProbe");

        assertThat(AdmissionMessages.warnings(List.of(finding(PAYMENTS, FindingVerdict.WARN, null, probe))))
                .containsExactly("[health-probes] container \"app\": no livenessProbe; add spec.containers[0].livenessProbe");
    }

    @Test
    void theSameViolationFromTwoPoliciesWarnsOnce() {
        assertThat(AdmissionMessages.warnings(List.of(
                finding(PAYMENTS, FindingVerdict.WARN, null, digest(0)), finding(DEFAULT, FindingVerdict.WARN, null, digest(0)))))
                .hasSize(1);
    }

    @Test
    void warningsStayWithinTheApiServerLimits() {
        String longName = "x".repeat(400);
        List<Finding> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            many.add(finding(PAYMENTS, FindingVerdict.WARN, null, new Violation("image-digest", "spec.containers[" + i + "].image",
                    longName + i, "nginx", "image \"nginx\" is not pinned by digest", "pin it")));
        }

        List<String> warnings = AdmissionMessages.warnings(many);

        assertThat(warnings).allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(AdmissionMessages.MAX_WARNING_LENGTH));
        assertThat(warnings.stream().mapToInt(String::length).sum()).isLessThan(AdmissionMessages.MAX_WARNINGS_TOTAL);
        assertThat(warnings.get(warnings.size() - 1))
                .matches("and \\d+ more hardening warnings \\(see kubectl describe hardeningpolicy\\)");
        assertThat(warnings.get(0)).endsWith("\u2026");
    }

    @Test
    void auditAnnotationsAreKeyedByRuleAndSayWhere() {
        Map<String, String> annotations = AdmissionMessages.auditAnnotations(List.of(
                finding(PAYMENTS, FindingVerdict.AUDIT, null, digest(0)),
                finding(PAYMENTS, FindingVerdict.AUDIT, null, digest(1)),
                finding(PAYMENTS, FindingVerdict.AUDIT, null, HOST_NETWORK)));

        assertThat(annotations).containsExactly(
                Map.entry("image-digest", "payments/baseline: container \"app0\" spec.template.spec.containers[0].image; "
                        + "payments/baseline: container \"app1\" spec.template.spec.containers[1].image"),
                Map.entry("no-host-namespaces", "payments/baseline: spec.template.spec.hostNetwork"));
    }
}

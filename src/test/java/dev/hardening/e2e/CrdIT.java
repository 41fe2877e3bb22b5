package dev.hardening.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRD schema, enforced by the real API server at kubectl apply, before any code of ours runs. */
@EndToEnd
class CrdIT {

    private static final String NS = "e2e-crd";
    private static final String CEL_SKIPPED = "<nil>: Invalid value: null: some validation rules were not checked "
            + "because the object was invalid; correct the existing errors to complete validation";
    private static Fixtures fixtures;
    private static Kubectl kubectl;
    private static ControlPlane cluster;

    @BeforeAll
    static void installCrd(EndToEnd.E2e e2e) {
        cluster = e2e.cluster();
        kubectl = e2e.kubectl();
        fixtures = e2e.fixtures();
        fixtures.namespace(NS);
    }

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                Arguments.of("unknown-rule", """
                        spec:
                          rules:
                          - id: no-such-rule
                        """, "spec.rules[0].id: Unsupported value: \"no-such-rule\": supported values: \"apparmor-profile\", "),
                Arguments.of("bad-mode", """
                        spec:
                          mode: Enforced
                        """, "spec.mode: Unsupported value: \"Enforced\": supported values: \"Audit\", \"Enforce\", \"Warn\""),
                Arguments.of("missing-reason", """
                        spec:
                          exemptions:
                          - rules: [read-only-root-filesystem]
                            containers: [legacy]
                        """, "spec.exemptions[0].reason: Required value"),
                Arguments.of("registry-without-registries", """
                        spec:
                          rules:
                          - id: image-registry
                        """, "spec.registries: Required value: rule image-registry needs at least one entry in spec.registries"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void theApiServerRejectsABadPolicyWithAReadableMessage(String name, String spec, String expected) {
        Kubectl.Result result = kubectl.runWithInput(header(name) + spec, "apply", "-f", "-");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        String header = "The HardeningPolicy \"" + name + "\" is invalid: ";
        if (expected.startsWith("spec.registries")) {
            // the schema is fine, so the CEL rule runs and is the only error
            assertThat(result.stderrLines()).as(result.describe()).containsExactly(header + expected);
        } else {
            // a schema error: the API server lists it, and says the CEL rules were skipped
            assertThat(result.stderrLines()).as(result.describe()).hasSize(3);
            assertThat(result.stderrLines().get(0)).isEqualTo(header);
            assertThat(result.stderrLines().get(1)).startsWith("* " + expected);
            assertThat(result.stderrLines().get(2)).isEqualTo("* " + CEL_SKIPPED);
        }
        assertThat(kubectl.run("get", "hp", name, "-n", NS).stderrLines())
                .containsExactly("Error from server (NotFound): hardeningpolicies.hardening.dev \"" + name + "\" not found");
    }

    @Test
    void aGoodPolicyIsAcceptedWithItsDefaults() {
        Kubectl.Result result = kubectl.runWithInput(header("good") + """
                spec:
                  rules:
                  - id: resource-limits
                    mode: Warn
                  - id: image-registry
                  registries: ["registry.example.com/"]
                  exemptions:
                  - rules: [read-only-root-filesystem]
                    containers: [legacy]
                    reason: "writes its cache to /var/cache; ticket SEC-123"
                    expires: "2099-01-31T00:00:00Z"
                """, "apply", "-f", "-");

        assertThat(result.stdoutLines()).as(result.describe()).containsExactly("hardeningpolicy.hardening.dev/good created");
        assertThat(kubectl.ok("get", "hp", "good", "-n", NS, "-o", "jsonpath={.spec.profile}/{.spec.mode}"))
                .isEqualTo("Hardened/Enforce");
    }

    @Test
    void aGoodPolicyGetsReadyStatusFromTheOperator() {
        kubectl.runWithInput(Fixtures.policy(NS, "with-status", "Baseline", "Warn"), "apply", "-f", "-");
        try (OperatorProcess ignored = OperatorProcess.start(cluster, "crd-it-operator", cluster.kubeconfig(),
                java.util.Map.of())) {
            fixtures.awaitPolicyReady(NS, "with-status");

            Kubectl.Result table = kubectl.run("get", "hp", "with-status", "-n", NS);
            assertThat(table.stdoutLines()).as(table.describe()).hasSize(2);
            assertThat(table.stdoutLines().get(0)).as(table.describe()).matches("NAME +PROFILE +MODE +READY +AUDITED +VIOLATIONS +AGE");
            assertThat(table.stdoutLines().get(1)).as(table.describe()).matches("with-status +Baseline +Warn +True +True +\\S+ +\\S+");
        }
    }

    private static String header(String name) {
        return """
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata:
                  name: %s
                  namespace: %s
                """.formatted(name, NS);
    }
}

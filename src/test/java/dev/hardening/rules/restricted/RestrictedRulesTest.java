package dev.hardening.rules.restricted;

import dev.hardening.testing.Yaml;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact denial lines (message and fix) users read; the fixture corpus covers verdicts and paths. */
class RestrictedRulesTest {

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("container unset without pod-level value names both fixes", new RunAsNonRootRule(), """
                        spec:
                          containers:
                            - name: app
                              image: app:1
                        """, List.of("[run-as-non-root] container \"app\": runAsNonRoot is not set here nor at pod level; "
                        + "set spec.template.spec.containers[0].securityContext.runAsNonRoot to true "
                        + "(or spec.template.spec.securityContext.runAsNonRoot)")),
                Arguments.of("pod false and pod root user are two problems", new RunAsNonRootRule(), """
                        spec:
                          securityContext: {runAsNonRoot: false, runAsUser: 0}
                          containers:
                            - name: app
                              image: app:1
                        """, List.of(
                        "[run-as-non-root] pod sets runAsNonRoot to false; set spec.template.spec.securityContext.runAsNonRoot to true",
                        "[run-as-non-root] pod sets runAsUser to 0 (root); "
                                + "set spec.template.spec.securityContext.runAsUser to a non-zero UID, or remove it")),
                Arguments.of("explicit true escalation", new NoPrivilegeEscalationRule(), """
                        spec:
                          containers:
                            - name: app
                              image: app:1
                              securityContext: {allowPrivilegeEscalation: true}
                        """, List.of("[no-privilege-escalation] container \"app\": sets allowPrivilegeEscalation to true; "
                        + "set spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation to false")),
                Arguments.of("missing drop and forbidden add", new DropAllCapabilitiesRule(), """
                        spec:
                          containers:
                            - name: app
                              image: app:1
                              securityContext:
                                capabilities: {add: [SYS_ADMIN]}
                        """, List.of(
                        "[drop-all-capabilities] container \"app\": capabilities.drop does not contain ALL; "
                                + "add ALL to spec.template.spec.containers[0].securityContext.capabilities.drop",
                        "[drop-all-capabilities] container \"app\": adds capability \"SYS_ADMIN\"; only NET_BIND_SERVICE may be added; "
                                + "remove spec.template.spec.containers[0].securityContext.capabilities.add[0]")),
                Arguments.of("unset seccomp names the pod-level alternative", new SeccompProfileRule(), """
                        spec:
                          containers:
                            - name: app
                              image: app:1
                        """, List.of("[seccomp-profile] container \"app\": seccompProfile is not set here nor at pod level; "
                        + "set spec.template.spec.containers[0].securityContext.seccompProfile.type to RuntimeDefault "
                        + "(or spec.template.spec.securityContext.seccompProfile.type)")),
                Arguments.of("unconfined pod profile", new SeccompProfileRule(), """
                        spec:
                          securityContext:
                            seccompProfile: {type: Unconfined}
                          containers:
                            - name: app
                              image: app:1
                        """, List.of("[seccomp-profile] pod sets seccompProfile.type \"Unconfined\"; only RuntimeDefault or Localhost "
                        + "are allowed; set spec.template.spec.securityContext.seccompProfile.type to RuntimeDefault "
                        + "(or Localhost with a localhostProfile)")),
                Arguments.of("hostPath volume", new RestrictedVolumeTypesRule(), """
                        spec:
                          containers:
                            - name: app
                              image: app:1
                          volumes:
                            - name: logs
                              hostPath: {path: /var/log}
                        """, List.of("[restricted-volume-types] volume \"logs\" uses restricted volume type \"hostPath\"; "
                        + "replace spec.template.spec.volumes[0] with a persistentVolumeClaim, configMap, secret, emptyDir "
                        + "or another allowed type")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void deniesWithExactWording(String scenario, Rule rule, String podSpec, List<String> expected) {
        List<Violation> violations = rule.evaluate(deployment(podSpec), RuleSettings.DEFAULTS);
        assertThat(violations).map(Violation::describe).containsExactlyElementsOf(expected);
    }

    /** A Deployment whose pod template is {@code podSpec} (YAML starting at {@code spec:}). */
    private static PodTarget deployment(String podSpec) {
        String yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
                + podSpec.indent(4);
        return (PodTarget) Yaml.target(yaml);
    }
}

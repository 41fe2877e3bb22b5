package dev.hardening.rules.baseline;

import dev.hardening.testing.Yaml;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Where pod level, container level and annotations meet, the baseline rules report each place that is wrong on its
 * own, as upstream pod-security-admission does: a good value at one level never excuses a bad one at another.
 */
class BaselinePrecedenceTest {

    /** The catalogue's rules of this package, in documentation order. */
    private static final List<Rule> BASELINE_RULES = RuleCatalogue.all().stream()
            .filter(rule -> rule.getClass().getPackageName().equals("dev.hardening.rules.baseline")).toList();

    private static final Rule HOST_PROCESS = new NoHostProcessRule();
    private static final Rule APPARMOR = new AppArmorProfileRule();
    private static final Rule SECCOMP = new NoUnconfinedSeccompRule();
    private static final Rule SELINUX = new SeLinuxOptionsRule();
    private static final Rule PROC_MOUNT = new DefaultProcMountRule();
    private static final Rule CAPABILITIES = new BaselineCapabilitiesRule();

    static Stream<Arguments> scenarios() {
        return Stream.of(
                arguments("hostProcess: pod true, container false -> pod only", HOST_PROCESS, """
                        spec:
                          securityContext: {windowsOptions: {hostProcess: true}}
                          containers:
                            - {name: app, image: app:1, securityContext: {windowsOptions: {hostProcess: false}}}
                        """, List.of("spec.securityContext.windowsOptions.hostProcess")),
                arguments("hostProcess: pod false, container true -> container only", HOST_PROCESS, """
                        spec:
                          securityContext: {windowsOptions: {hostProcess: false}}
                          containers:
                            - {name: app, image: app:1, securityContext: {windowsOptions: {hostProcess: true}}}
                        """, List.of("spec.containers[0].securityContext.windowsOptions.hostProcess container=app")),
                arguments("hostProcess: both true -> both", HOST_PROCESS, """
                        spec:
                          securityContext: {windowsOptions: {hostProcess: true}}
                          containers:
                            - {name: app, image: app:1, securityContext: {windowsOptions: {hostProcess: true}}}
                        """, List.of("spec.securityContext.windowsOptions.hostProcess",
                        "spec.containers[0].securityContext.windowsOptions.hostProcess container=app")),
                arguments("hostProcess: a Windows pod is not exempt", HOST_PROCESS, """
                        spec:
                          os: {name: windows}
                          containers:
                            - {name: app, image: app:1, securityContext: {windowsOptions: {hostProcess: true}}}
                        """, List.of("spec.containers[0].securityContext.windowsOptions.hostProcess container=app")),
                arguments("hostProcess: windowsOptions without hostProcess -> allowed", HOST_PROCESS, """
                        spec:
                          securityContext: {windowsOptions: {runAsUserName: ContainerUser}}
                          containers:
                            - {name: app, image: app:1}
                        """, List.of()),
                arguments("apparmor: RuntimeDefault field does not excuse an unconfined annotation", APPARMOR, """
                        metadata:
                          annotations: {container.apparmor.security.beta.kubernetes.io/app: unconfined}
                        spec:
                          containers:
                            - {name: app, image: app:1, securityContext: {appArmorProfile: {type: RuntimeDefault}}}
                        """, List.of("metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]")),
                arguments("apparmor: runtime/default annotation does not excuse an Unconfined field", APPARMOR, """
                        metadata:
                          annotations: {container.apparmor.security.beta.kubernetes.io/app: runtime/default}
                        spec:
                          containers:
                            - {name: app, image: app:1, securityContext: {appArmorProfile: {type: Unconfined}}}
                        """, List.of("spec.containers[0].securityContext.appArmorProfile.type container=app")),
                arguments("apparmor: pod RuntimeDefault does not excuse a container's Unconfined", APPARMOR, """
                        spec:
                          securityContext: {appArmorProfile: {type: RuntimeDefault}}
                          containers:
                            - {name: app, image: app:1, securityContext: {appArmorProfile: {type: Unconfined}}}
                        """, List.of("spec.containers[0].securityContext.appArmorProfile.type container=app")),
                arguments("apparmor: localhost annotation and Localhost field -> allowed", APPARMOR, """
                        metadata:
                          annotations: {container.apparmor.security.beta.kubernetes.io/app: localhost/k8s-app}
                        spec:
                          containers:
                            - name: app
                              image: app:1
                              securityContext: {appArmorProfile: {type: Localhost, localhostProfile: k8s-app}}
                        """, List.of()),
                arguments("apparmor: an annotation for a container the pod lacks still counts (upstream)", APPARMOR, """
                        metadata:
                          annotations: {container.apparmor.security.beta.kubernetes.io/gone: docker-default}
                        spec:
                          containers:
                            - {name: app, image: app:1}
                        """, List.of("metadata.annotations[container.apparmor.security.beta.kubernetes.io/gone]")),
                arguments("apparmor: a profile without a type is not allowed (upstream)", APPARMOR, """
                        spec:
                          securityContext: {appArmorProfile: {localhostProfile: k8s-app}}
                          containers:
                            - {name: app, image: app:1}
                        """, List.of("spec.securityContext.appArmorProfile.type")),
                arguments("seccomp: pod RuntimeDefault does not excuse a container's Unconfined", SECCOMP, """
                        spec:
                          securityContext: {seccompProfile: {type: RuntimeDefault}}
                          containers:
                            - {name: app, image: app:1, securityContext: {seccompProfile: {type: Unconfined}}}
                        """, List.of("spec.containers[0].securityContext.seccompProfile.type container=app")),
                arguments("seccomp: a container's RuntimeDefault does not excuse the pod's Unconfined", SECCOMP, """
                        spec:
                          securityContext: {seccompProfile: {type: Unconfined}}
                          containers:
                            - {name: app, image: app:1, securityContext: {seccompProfile: {type: RuntimeDefault}}}
                        """, List.of("spec.securityContext.seccompProfile.type")),
                arguments("seccomp: the removed alpha annotation is ignored since v1.19", SECCOMP, """
                        metadata:
                          annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}
                        spec:
                          containers:
                            - {name: app, image: app:1}
                        """, List.of()),
                arguments("selinux: empty type and any level -> allowed", SELINUX, """
                        spec:
                          securityContext: {seLinuxOptions: {type: "", user: "", role: "", level: "s0:c1,c2"}}
                          containers:
                            - {name: app, image: app:1}
                        """, List.of()),
                arguments("procMount: hostUsers false does not relax it (alpha gate off in 1.34)", PROC_MOUNT, """
                        spec:
                          hostUsers: false
                          containers:
                            - {name: app, image: app:1, securityContext: {procMount: Unmasked}}
                        """, List.of("spec.containers[0].securityContext.procMount container=app")),
                arguments("capabilities: drop does not matter, only add", CAPABILITIES, """
                        spec:
                          containers:
                            - {name: app, image: app:1, securityContext: {capabilities: {drop: [SYS_ADMIN, NET_RAW]}}}
                        """, List.of()),
                arguments("capabilities: a null entry is a violation, not an exception", CAPABILITIES, """
                        spec:
                          containers:
                            - {name: app, image: app:1, securityContext: {capabilities: {add: [CHOWN, null]}}}
                        """, List.of("spec.containers[0].securityContext.capabilities.add[1] container=app")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void reportsEachLevelOnItsOwn(String scenario, Rule rule, String podYaml, List<String> expected) {
        List<Violation> violations = rule.evaluate(pod(podYaml), RuleSettings.DEFAULTS);

        assertThat(violations).extracting(BaselinePrecedenceTest::describe).containsExactlyElementsOf(expected);
        assertThat(violations).allSatisfy(v -> assertThat(v.ruleId()).isEqualTo(rule.id()));
    }

    @Test
    void deploymentViolationNamesTheFullPathInMessageAndFix() {
        PodTarget deployment = (PodTarget) Yaml.target("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - {name: web, image: "nginx:1.25", securityContext: {privileged: true}}
                """);
        List<Violation> violations = new NoPrivilegedRule()
                .evaluate(deployment, RuleSettings.DEFAULTS);

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("spec.template.spec.containers[0].securityContext.privileged");
            assertThat(v.container()).isEqualTo("web");
            assertThat(v.image()).isEqualTo("nginx:1.25");
            assertThat(v.describe()).isEqualTo("[no-privileged] container \"web\": runs privileged"
                    + " (securityContext.privileged is true); set"
                    + " spec.template.spec.containers[0].securityContext.privileged to false (or remove it)");
        });
    }

    @Test
    void unconfinedMessagesSayWhatIsDisabled() {
        List<Violation> violations = new NoUnconfinedSeccompRule().evaluate(pod("""
                spec:
                  securityContext: {seccompProfile: {type: Unconfined}}
                  containers:
                    - {name: app, image: app:1, securityContext: {seccompProfile: {type: Bogus}}}
                """), RuleSettings.DEFAULTS);

        assertThat(violations).extracting(Violation::message).containsExactly(
                "pod disables seccomp (seccompProfile.type is Unconfined)",
                "sets seccompProfile.type \"Bogus\"; only RuntimeDefault or Localhost are allowed");
        assertThat(violations.get(0).fix())
                .isEqualTo("set spec.securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a localhostProfile)");
    }

    @Test
    void seLinuxFixesSayWhatToSetOrRemove() {
        List<Violation> violations = new SeLinuxOptionsRule().evaluate(pod("""
                spec:
                  containers:
                    - {name: app, image: app:1, securityContext: {seLinuxOptions: {type: spc_t, role: system_r}}}
                """), RuleSettings.DEFAULTS);

        assertThat(violations).extracting(Violation::describe).containsExactly(
                "[selinux-options] container \"app\": sets SELinux type \"spc_t\";"
                        + " set spec.containers[0].securityContext.seLinuxOptions.type to container_t (or remove it)",
                "[selinux-options] container \"app\": sets SELinux role \"system_r\";"
                        + " remove spec.containers[0].securityContext.seLinuxOptions.role");
    }

    @Test
    void anEmptyPodPassesEveryBaselineRule() {
        PodTarget empty = PodTarget.of(WorkloadKind.POD, new Pod());
        for (Rule rule : BASELINE_RULES) {
            assertThat(rule.evaluate(empty, RuleSettings.DEFAULTS)).as(rule.id()).isEmpty();
        }
    }

    /** The ids and their order are pinned by docs/rules.md (RuleReferenceTest); no second list of them here. */
    @Test
    void baselineRulesAreRegisteredInDocumentationOrder() {
        assertThat(BASELINE_RULES).extracting(Rule::id).containsExactlyElementsOf(Profile.Baseline.ruleIds());
    }

    private static PodTarget pod(String yaml) {
        return (PodTarget) Yaml.target("apiVersion: v1\nkind: Pod\n" + yaml);
    }

    private static String describe(Violation v) {
        return v.container() == null ? v.path() : v.path() + " container=" + v.container();
    }
}

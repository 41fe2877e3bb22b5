package dev.hardening.rules.release;

import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Half-filled objects, as a buggy client may send them, are judged without exceptions. */
class ReleaseRulesOddInputTest {

    /** The catalogue's rules of this package, in documentation order. */
    private static final List<Rule> RELEASE_RULES = RuleCatalogue.all().stream()
            .filter(rule -> rule.getClass().getPackageName().equals("dev.hardening.rules.release")).toList();

    @Test
    void aDeploymentWithoutSpecHasNothingToReport() {
        PodTarget target = PodTarget.of(WorkloadKind.DEPLOYMENT, new Deployment());

        for (Rule rule : RELEASE_RULES) {
            assertThat(rule.evaluate(target, RuleSettings.DEFAULTS)).as(rule.id()).isEmpty();
        }
    }

    @Test
    void aContainerWithNothingSetIsReportedNotThrownOn() {
        Container bare = new Container();
        List<EnvVar> env = new ArrayList<>(Arrays.asList(null, new EnvVar(null, "admin", null), new EnvVar("X", null, null)));
        bare.setEnv(env);
        PodSpec spec = new PodSpec();
        spec.setContainers(List.of(bare));
        Pod pod = new Pod();
        pod.setSpec(spec);
        PodTarget target = PodTarget.of(WorkloadKind.POD, pod);

        assertThat(new ImageDigestRule().evaluate(target, RuleSettings.DEFAULTS))
                .singleElement().satisfies(v -> assertThat(v.message()).isEqualTo("image \"\" is not a valid reference: reference is empty"));
        // a nameless variable is not a secret's name, so even "admin" is no default credential (docs/rules.md)
        assertThat(new NoPlaintextSecretsRule().evaluate(target, RuleSettings.DEFAULTS)).isEmpty();
        assertThat(new ResourceLimitsRule().evaluate(target, RuleSettings.DEFAULTS)).hasSize(2);
        assertThat(new HealthProbesRule().evaluate(target, RuleSettings.DEFAULTS)).hasSize(2);
        assertThat(new ReadOnlyRootFilesystemRule().evaluate(target, RuleSettings.DEFAULTS)).hasSize(1);
    }
}

package dev.hardening.rules.release;

import dev.hardening.rules.PodTarget;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

import java.util.List;

/** Evaluates no-plaintext-secrets over a pod with one env var, built without YAML so that any value survives. */
final class SecretEnv {

    private static final NoPlaintextSecretsRule RULE = new NoPlaintextSecretsRule();

    private SecretEnv() {
    }

    static List<Violation> violations(String name, String value) {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1")
                .addNewEnv().withName(name).withValue(value).endEnv()
                .endContainer().endSpec().build();
        return RULE.evaluate(PodTarget.of(WorkloadKind.POD, pod), RuleSettings.DEFAULTS);
    }

    /** Everything a user or a log could see of the violations. */
    static String visible(List<Violation> violations) {
        StringBuilder all = new StringBuilder();
        for (Violation v : violations) {
            all.append(v.describe()).append('\n').append(v.path()).append('\n').append(v.message()).append('\n').append(v.fix());
        }
        return all.toString();
    }
}

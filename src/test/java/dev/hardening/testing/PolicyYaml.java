package dev.hardening.testing;

import dev.hardening.policy.HardeningPolicy;


/** Builds policies from the YAML a user would apply, so that tests read like the documentation. */
public final class PolicyYaml {

    private PolicyYaml() {
    }

    /** {@code spec} is the YAML body below {@code spec:}, indented by two spaces. */
    public static HardeningPolicy policy(String namespace, String name, String spec) {
        String yaml = "apiVersion: hardening.dev/v1alpha1\nkind: HardeningPolicy\nmetadata:\n  name: " + name
                + "\n  namespace: " + namespace + "\n  generation: 1\nspec:\n" + spec.stripIndent().indent(2);
        return Yaml.object(yaml, HardeningPolicy.class);
    }
}

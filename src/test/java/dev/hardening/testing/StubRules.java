package dev.hardening.testing;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;

import java.util.ArrayList;
import java.util.List;

/**
 * Two tiny rules with obvious behaviour, so that the decider and message tests do not depend on the catalogue's
 * wording: one flags every image without {@code @sha256:}, the other flags {@code hostNetwork: true}.
 */
public final class StubRules {

    public static final Rule UNPINNED = new AbstractRule(info("stub-digest")) {
        @Override
        public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
            List<Violation> violations = new ArrayList<>();
            for (ContainerRef container : target.containers()) {
                if (container.image() == null || !container.image().contains("@sha256:")) {
                    violations.add(violation(container, "image", "image \"" + container.image() + "\" is not pinned",
                            "pin " + container.field("image") + " by digest"));
                }
            }
            return violations;
        }
    };

    public static final Rule HOST_NETWORK = new AbstractRule(info("stub-host-network")) {
        @Override
        public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
            if (Boolean.TRUE.equals(target.spec().getHostNetwork())) {
                return List.of(podViolation(target.specField("hostNetwork"), "hostNetwork is true",
                        "remove " + target.specField("hostNetwork")));
            }
            return List.of();
        }
    };

    private StubRules() {
    }

    private static RuleInfo info(String id) {
        return new RuleInfo(id, Profile.None, id, "test rule", "test", "fix it", new RuleExample("spec: {}", "spec: {}"));
    }
}

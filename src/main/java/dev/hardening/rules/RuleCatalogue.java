package dev.hardening.rules;

import dev.hardening.rules.baseline.BaselineRules;
import dev.hardening.rules.release.ReleaseRules;
import dev.hardening.rules.restricted.RestrictedRules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every rule the product knows, by id, in documentation order. The ids are public API. */
public final class RuleCatalogue {

    private static final Map<String, Rule> RULES;

    static {
        List<Rule> all = new ArrayList<>();
        all.addAll(BaselineRules.ALL);
        all.addAll(RestrictedRules.ALL);
        all.addAll(ReleaseRules.ALL);
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (Rule rule : all) {
            if (byId.put(rule.id(), rule) != null) {
                throw new IllegalStateException("duplicate rule id " + rule.id());
            }
        }
        RULES = Collections.unmodifiableMap(byId);
    }

    private RuleCatalogue() {
    }

    public static List<Rule> all() {
        return List.copyOf(RULES.values());
    }

    public static Set<String> ids() {
        return RULES.keySet();
    }

    public static Optional<Rule> byId(String id) {
        return Optional.ofNullable(RULES.get(id));
    }

    /** The profiles (by display name) whose rule set contains {@code ruleId}; empty for opt-in rules. */
    public static List<Profile> profilesOf(String ruleId) {
        List<Profile> profiles = new ArrayList<>();
        for (Profile profile : Profile.values()) {
            if (profile.includes(ruleId)) {
                profiles.add(profile);
            }
        }
        return profiles;
    }
}

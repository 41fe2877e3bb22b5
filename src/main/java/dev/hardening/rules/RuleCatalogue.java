package dev.hardening.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Every rule the product knows, by id, in documentation order: the one rule registry. Each rule class declares its
 * own id, profile and documentation; the list of rule classes is {@value #REGISTRY}, generated from the compiled rule
 * classes by {@code hack/regenerate.sh} (RuleCatalogueTest fails when it is stale). Loading through
 * {@link ServiceLoader} keeps this package free of imports from the rule families. The ids are public API.
 */
public final class RuleCatalogue {

    /** The classpath resource that lists the rule classes, one per line, in documentation order. */
    public static final String REGISTRY = "META-INF/services/dev.hardening.rules.Rule";

    private static final Map<String, Rule> RULES;
    private static final Map<Profile, Set<String>> PROFILE_IDS = new EnumMap<>(Profile.class);

    static {
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (Rule rule : ServiceLoader.load(Rule.class, Rule.class.getClassLoader())) {
            if (byId.put(rule.id(), rule) != null) {
                throw new IllegalStateException("duplicate rule id " + rule.id());
            }
        }
        if (byId.isEmpty()) {
            throw new IllegalStateException("no rule found: " + REGISTRY + " is missing from the classpath");
        }
        RULES = Collections.unmodifiableMap(byId);
        for (Profile profile : Profile.values()) {
            Set<String> ids = new LinkedHashSet<>();
            for (Rule rule : byId.values()) {
                if (profile.contains(rule.profile())) {
                    ids.add(rule.id());
                }
            }
            PROFILE_IDS.put(profile, Collections.unmodifiableSet(ids));
        }
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

    static Set<String> idsIn(Profile profile) {
        return PROFILE_IDS.get(profile);
    }

    /** The profiles whose rule set contains {@code rule}; empty for opt-in rules. */
    public static List<Profile> profilesOf(Rule rule) {
        List<Profile> profiles = new ArrayList<>();
        for (Profile profile : Profile.values()) {
            if (profile.contains(rule.profile())) {
                profiles.add(profile);
            }
        }
        return profiles;
    }

    /** The profiles whose rule set contains the rule {@code ruleId}; empty for opt-in and unknown ids. */
    public static List<Profile> profilesOf(String ruleId) {
        return byId(ruleId).map(RuleCatalogue::profilesOf).orElse(List.of());
    }
}

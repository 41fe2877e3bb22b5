package dev.hardening.engine;

import dev.hardening.policy.ScanSpec;
import dev.hardening.policy.ScanIgnore;
import dev.hardening.policy.Exemption;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicySpec;
import dev.hardening.policy.NetworkPolicyType;
import dev.hardening.policy.NetworkSettings;
import dev.hardening.policy.PolicyMode;
import dev.hardening.policy.RuleEntry;
import dev.hardening.policy.RuleMode;
import dev.hardening.policy.ServiceType;
import dev.hardening.rules.IpRange;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.ScanSettings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.hardening.engine.PolicyValidator.nullToEmpty;

/**
 * Turns a HardeningPolicy into what admission and the audit evaluate: effective rules = the profile's rules plus the
 * listed ones, a listed mode overriding the policy mode, Off removing the rule; exemptions prepared for matching.
 * Pure: no clock (expiry is checked when matching), no I/O.
 */
public final class PolicyCompiler {

    private PolicyCompiler() {
    }

    /** Either a compiled policy or every error that prevents it. */
    public record Compilation(CompiledPolicy policy, List<FieldError> errors) {

        public Compilation {
            errors = List.copyOf(errors);
        }

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public static Compilation compile(HardeningPolicy resource) {
        HardeningPolicySpec spec = resource.getSpec() == null ? new HardeningPolicySpec() : resource.getSpec();
        List<FieldError> errors = PolicyValidator.validate(spec);
        if (!errors.isEmpty()) {
            return new Compilation(null, errors);
        }
        CompiledPolicy compiled = new CompiledPolicy(resource.ref(), resource.generation(), effectiveRules(spec),
                settings(spec), exemptions(spec));
        return new Compilation(compiled, List.of());
    }

    /** Catalogue order, so that messages list violations in documentation order whatever the spec's order. */
    static List<EffectiveRule> effectiveRules(HardeningPolicySpec spec) {
        RuleMode policyMode = (spec.getMode() == null ? PolicyMode.Enforce : spec.getMode()).ruleMode();
        Map<String, RuleMode> overrides = new HashMap<>();
        for (RuleEntry entry : nullToEmpty(spec.getRules())) {
            overrides.put(entry.getId(), entry.getMode() == null ? policyMode : entry.getMode());
        }
        Set<String> ids = PolicyValidator.EffectiveRules.ids(spec);
        List<EffectiveRule> rules = new ArrayList<>();
        for (Rule rule : RuleCatalogue.all()) {
            if (ids.contains(rule.id())) {
                rules.add(new EffectiveRule(rule, overrides.getOrDefault(rule.id(), policyMode)));
            }
        }
        return rules;
    }

    /** The policy's inputs to the rules; an unset list of spec.network keeps the rules' default. */
    static RuleSettings settings(HardeningPolicySpec spec) {
        NetworkSettings network = spec.getNetwork() == null ? new NetworkSettings() : spec.getNetwork();
        Set<String> serviceTypes = network.getAllowedServiceTypes() == null ? null
                : network.getAllowedServiceTypes().stream().map(ServiceType::name).collect(Collectors.toSet());
        List<IpRange> externalIPs = nullToEmpty(network.getAllowedExternalIPs()).stream()
                .map(range -> IpRange.parse(range).orElseThrow()).toList();
        Set<String> policyTypes = network.getRequiredPolicyTypes() == null ? null
                : network.getRequiredPolicyTypes().stream().map(NetworkPolicyType::name).collect(Collectors.toSet());
        return new RuleSettings(nullToEmpty(spec.getRegistries()), serviceTypes, externalIPs, policyTypes, scan(spec.getScan()));
    }

    /** spec.scan for the scan rules; unset fields keep the defaults (CRITICAL, unfixed counted, any age). */
    static ScanSettings scan(ScanSpec scan) {
        if (scan == null) {
            return ScanSettings.DEFAULTS;
        }
        List<ScanSettings.Ignore> ignore = new ArrayList<>();
        List<ScanIgnore> entries = nullToEmpty(scan.getIgnore());
        for (int i = 0; i < entries.size(); i++) {
            ScanIgnore entry = entries.get(i);
            ignore.add(new ScanSettings.Ignore(i, entry.getId(),
                    nullToEmpty(entry.getImages()).stream().map(CompiledExemption::globToPattern).toList(), entry.getReason(),
                    entry.getExpires() == null ? null : PolicyValidator.parseExpiry(entry.getExpires()).orElseThrow()));
        }
        return new ScanSettings(scan.getSeverity(), Boolean.TRUE.equals(scan.getIgnoreUnfixed()),
                scan.getMaxAge() == null ? null : PolicyValidator.parseDuration(scan.getMaxAge()).orElseThrow(), ignore);
    }

    static List<CompiledExemption> exemptions(HardeningPolicySpec spec) {
        List<CompiledExemption> compiled = new ArrayList<>();
        List<Exemption> exemptions = nullToEmpty(spec.getExemptions());
        for (int i = 0; i < exemptions.size(); i++) {
            Exemption e = exemptions.get(i);
            compiled.add(new CompiledExemption(i, new LinkedHashSet<>(e.getRules()), Set.copyOf(nullToEmpty(e.getNames())),
                    Set.copyOf(nullToEmpty(e.getContainers())),
                    nullToEmpty(e.getImages()), e.getReason(),
                    e.getExpires() == null ? null : PolicyValidator.parseExpiry(e.getExpires()).orElseThrow()));
        }
        return compiled;
    }
}

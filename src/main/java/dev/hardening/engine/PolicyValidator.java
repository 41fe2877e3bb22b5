package dev.hardening.engine;

import dev.hardening.policy.ScanSpec;
import dev.hardening.policy.ScanIgnore;
import dev.hardening.policy.Exemption;
import dev.hardening.policy.HardeningPolicySpec;
import dev.hardening.policy.NetworkSettings;
import dev.hardening.rules.Profile;
import dev.hardening.policy.RuleEntry;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.IpRange;
import dev.hardening.rules.RuleCatalogue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the CRD schema cannot check (or what a client that bypassed it could send), each error with its field path.
 * Collects every error, never only the first. Pure.
 */
public final class PolicyValidator {

    /** Characters of an image reference, plus the glob wildcards. */
    private static final Pattern IMAGE_GLOB = Pattern.compile("[A-Za-z0-9._:/@+*?-]+");
    /** A container name is an RFC 1123 label. */
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** An object name is an RFC 1123 subdomain (Services are stricter; a longer name simply matches nothing). */
    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /** Hours, minutes, seconds, each optional, at most 6 digits each. */
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,6})s)?");
    /** CVE-..., GHSA-..., ALAS..., DSA-...: letters, digits and the separators ids use. */
    private static final Pattern VULNERABILITY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private PolicyValidator() {
    }

    public static List<FieldError> validate(HardeningPolicySpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (spec == null) {
            return errors;
        }
        validateRules(spec, errors);
        validateRegistries(spec, errors);
        validateNetwork(spec.getNetwork(), errors);
        validateScan(spec.getScan(), errors);
        Set<String> effective = EffectiveRules.ids(spec);
        List<Exemption> exemptions = nullToEmpty(spec.getExemptions());
        for (int i = 0; i < exemptions.size(); i++) {
            validateExemption(exemptions.get(i), "spec.exemptions[" + i + "]", effective, errors);
        }
        return errors;
    }

    private static void validateRules(HardeningPolicySpec spec, List<FieldError> errors) {
        List<RuleEntry> rules = nullToEmpty(spec.getRules());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            RuleEntry entry = rules.get(i);
            String path = "spec.rules[" + i + "].id";
            if (entry == null || entry.getId() == null) {
                errors.add(FieldError.required(path, null));
            } else if (!seen.add(entry.getId())) {
                errors.add(FieldError.duplicate(path, entry.getId()));
            } else if (RuleCatalogue.byId(entry.getId()).isEmpty()) {
                // the CRD's enum stops this at the API server; a file read offline has no such gate
                errors.add(FieldError.invalid(path, entry.getId(), "no such rule (docs/rules.md lists them)"));
            }
        }
    }

    private static void validateRegistries(HardeningPolicySpec spec, List<FieldError> errors) {
        List<String> registries = nullToEmpty(spec.getRegistries());
        for (int i = 0; i < registries.size(); i++) {
            String registry = registries.get(i);
            if (registry == null || registry.isBlank() || !registry.endsWith("/") || registry.chars().anyMatch(Character::isWhitespace)) {
                errors.add(FieldError.invalid("spec.registries[" + i + "]", registry,
                        "must be an image prefix ending with \"/\", e.g. registry.example.com/"));
            }
        }
        if (registries.isEmpty() && EffectiveRules.ids(spec).contains("image-registry")) {
            errors.add(FieldError.required("spec.registries", "rule image-registry is in effect and needs allowed prefixes"));
        }
    }

    private static void validateNetwork(NetworkSettings network, List<FieldError> errors) {
        if (network == null) {
            return;
        }
        noNullsOrDuplicates(network.getAllowedServiceTypes(), "spec.network.allowedServiceTypes", errors);
        List<String> ranges = nullToEmpty(network.getAllowedExternalIPs());
        for (int i = 0; i < ranges.size(); i++) {
            String path = "spec.network.allowedExternalIPs[" + i + "]";
            String range = ranges.get(i);
            if (range == null) {
                errors.add(FieldError.required(path, null));
            } else if (IpRange.parse(range).isEmpty()) {
                errors.add(FieldError.invalid(path, range, "must be an IP address or a CIDR, e.g. 203.0.113.0/24 or 2001:db8::/64"));
            } else if (IpRange.parse(range).get().prefix() == 0) {
                errors.add(FieldError.invalid(path, range, "allows every address, which is what rule service-external-ips "
                        + "prevents; set the rule's mode to Off instead"));
            }
        }
        if (network.getRequiredPolicyTypes() != null && network.getRequiredPolicyTypes().isEmpty()) {
            errors.add(FieldError.required("spec.network.requiredPolicyTypes", "name Ingress, Egress or both (or remove it: default Ingress)"));
        }
        noNullsOrDuplicates(network.getRequiredPolicyTypes(), "spec.network.requiredPolicyTypes", errors);
    }

    private static void validateScan(ScanSpec scan, List<FieldError> errors) {
        if (scan == null) {
            return;
        }
        if (scan.getMaxAge() != null && parseDuration(scan.getMaxAge()).isEmpty()) {
            errors.add(FieldError.invalid("spec.scan.maxAge", scan.getMaxAge(),
                    "must be a positive duration in hours, minutes and seconds, e.g. 168h or 72h30m"));
        }
        List<ScanIgnore> ignore = nullToEmpty(scan.getIgnore());
        for (int i = 0; i < ignore.size(); i++) {
            String path = "spec.scan.ignore[" + i + "]";
            ScanIgnore entry = ignore.get(i);
            if (entry == null) {
                errors.add(FieldError.required(path, null));
                continue;
            }
            if (entry.getId() == null || entry.getId().isBlank()) {
                errors.add(FieldError.required(path + ".id", "name the vulnerability, e.g. CVE-2019-14697"));
            } else if (!VULNERABILITY_ID.matcher(entry.getId()).matches()) {
                errors.add(FieldError.invalid(path + ".id", entry.getId(),
                        "must be a vulnerability id as the scanner reports it, e.g. CVE-2019-14697"));
            }
            validateImageGlobs(entry.getImages(), path + ".images", errors);
            if (entry.getReason() == null || entry.getReason().isBlank()) {
                errors.add(FieldError.required(path + ".reason", "say why the vulnerability is accepted"));
            }
            validateExpiry(entry.getExpires(), path + ".expires", errors);
        }
    }

    /** {@code 168h}, {@code 72h30m}, {@code 90s}: hours, minutes and seconds, in that order, more than zero. */
    static Optional<Duration> parseDuration(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(value);
        if (value.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        try {
            Duration duration = Duration.ofHours(group(m, 1)).plusMinutes(group(m, 2)).plusSeconds(group(m, 3));
            return duration.isZero() ? Optional.empty() : Optional.of(duration);
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long group(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }

    private static void noNullsOrDuplicates(List<?> values, String path, List<FieldError> errors) {
        Set<Object> seen = new HashSet<>();
        List<?> list = nullToEmpty(values);
        for (int i = 0; i < list.size(); i++) {
            Object value = list.get(i);
            if (value == null) {
                errors.add(FieldError.required(path + "[" + i + "]", null));
            } else if (!seen.add(value)) {
                errors.add(FieldError.duplicate(path + "[" + i + "]", value.toString()));
            }
        }
    }

    private static void validateExemption(Exemption exemption, String path, Set<String> effective, List<FieldError> errors) {
        if (exemption == null) {
            errors.add(FieldError.required(path, null));
            return;
        }
        List<String> rules = nullToEmpty(exemption.getRules());
        if (rules.isEmpty()) {
            errors.add(FieldError.required(path + ".rules", "name at least one rule"));
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < rules.size(); j++) {
            String rule = rules.get(j);
            String rulePath = path + ".rules[" + j + "]";
            if (rule == null) {
                errors.add(FieldError.required(rulePath, null));
            } else if (!seen.add(rule)) {
                errors.add(FieldError.duplicate(rulePath, rule));
            } else if (!effective.contains(rule)) {
                errors.add(FieldError.invalid(rulePath, rule, "rule is not in effect in this policy"));
            }
        }
        List<String> names = nullToEmpty(exemption.getNames());
        for (int j = 0; j < names.size(); j++) {
            String name = names.get(j);
            if (name == null || !OBJECT_NAME.matcher(name).matches()) {
                errors.add(FieldError.invalid(path + ".names[" + j + "]", name, "must be an object name (RFC 1123 subdomain)"));
            }
        }
        List<String> containers = nullToEmpty(exemption.getContainers());
        for (int j = 0; j < containers.size(); j++) {
            String name = containers.get(j);
            if (name == null || !CONTAINER_NAME.matcher(name).matches()) {
                errors.add(FieldError.invalid(path + ".containers[" + j + "]", name, "must be a container name (RFC 1123 label)"));
            }
        }
        validateImageGlobs(exemption.getImages(), path + ".images", errors);
        if (exemption.getReason() == null || exemption.getReason().isBlank()) {
            errors.add(FieldError.required(path + ".reason", "say why the exemption exists"));
        }
        validateExpiry(exemption.getExpires(), path + ".expires", errors);
    }

    private static void validateImageGlobs(List<String> globs, String path, List<FieldError> errors) {
        List<String> images = nullToEmpty(globs);
        for (int j = 0; j < images.size(); j++) {
            String glob = images.get(j);
            if (glob == null || !IMAGE_GLOB.matcher(glob).matches()) {
                errors.add(FieldError.invalid(path + "[" + j + "]", glob, "must be an image glob: image reference characters, * and ?"));
            }
        }
    }

    private static void validateExpiry(String expires, String path, List<FieldError> errors) {
        if (expires != null && parseExpiry(expires).isEmpty()) {
            errors.add(FieldError.invalid(path, expires, "must be an RFC 3339 date-time, e.g. 2027-01-31T00:00:00Z"));
        }
    }

    /** RFC 3339 date-time (offset required), or empty when it is not one. */
    static Optional<Instant> parseExpiry(String value) {
        try {
            return Optional.of(OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Rule ids in effect: the profile's and the listed catalogue ones, minus those set to Off. */
    static final class EffectiveRules {

        private EffectiveRules() {
        }

        static Set<String> ids(HardeningPolicySpec spec) {
            Profile profile = spec.getProfile() == null ? Profile.Hardened : spec.getProfile();
            Set<String> ids = new LinkedHashSet<>(profile.ruleIds());
            for (RuleEntry entry : nullToEmpty(spec.getRules())) {
                if (entry == null || entry.getId() == null) {
                    continue;
                }
                if (entry.getMode() == RuleMode.Off) {
                    ids.remove(entry.getId());
                } else if (RuleCatalogue.byId(entry.getId()).isPresent()) {
                    ids.add(entry.getId());
                }
            }
            return ids;
        }
    }
}

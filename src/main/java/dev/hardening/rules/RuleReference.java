package dev.hardening.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the rule reference ({@code docs/rules.md}) from the catalogue, the profiles and each rule's documented facts,
 * so that the page cannot drift from the code. Pure: returns text, writes nothing ({@code RuleReferenceTest} compares
 * and, on request, rewrites the committed file).
 */
public final class RuleReference {

    /** Column order of the profile matrix: from least to most strict, then the empty profile. */
    static final List<Profile> MATRIX = List.of(Profile.Baseline, Profile.Restricted, Profile.Hardened, Profile.None);

    static final String REGENERATE = "hack/regenerate.sh";

    private RuleReference() {
    }

    /** The reference for every catalogue rule. */
    public static String render() {
        return render(RuleCatalogue.all());
    }

    /** The reference for {@code rules}, in the given order. */
    public static String render(List<Rule> rules) {
        StringBuilder out = new StringBuilder(32_768);
        out.append("# Rule reference\n\n")
                .append("<!-- Generated from the rule catalogue by dev.hardening.rules.RuleReference; do not edit by hand.\n")
                .append("     Regenerate: ").append(REGENERATE).append(" -->\n\n")
                .append("Every rule has a stable id that policies name. A policy selects a profile; each profile contains the\n")
                .append("rules of the one before it. Baseline and Restricted follow the upstream Kubernetes Pod Security\n")
                .append("Standards (as Kubernetes 1.34 enforces them); Hardened adds release-readiness checks. None selects no\n")
                .append("rule. Opt-in rules belong to no profile: a policy enables them by id.\n\n")
                .append("Every violation names the exact field path in the submitted object, for example\n")
                .append("`spec.template.spec.containers[0].securityContext.runAsNonRoot` in a Deployment. The examples below\n")
                .append("show a pod spec (`spec:`) and apply the same way to the pod template of every workload kind; those of\n")
                .append("the rules that judge Services show a Service's `spec:`.\n\n");
        contents(out, rules);
        matrix(out, rules);
        out.append("## Rules\n");
        for (Rule rule : rules) {
            section(out, rule);
        }
        return out.toString();
    }

    private static void contents(StringBuilder out, List<Rule> rules) {
        out.append("## Contents\n\n").append("- [Profiles](#profiles)\n");
        for (Rule rule : rules) {
            out.append("- [").append(rule.id()).append("](#").append(rule.id()).append("): ").append(rule.title()).append('\n');
        }
        out.append('\n');
    }

    private static void matrix(StringBuilder out, List<Rule> rules) {
        out.append("## Profiles\n\n| Rule |");
        for (Profile profile : MATRIX) {
            out.append(' ').append(profile.displayName()).append(" |");
        }
        out.append("\n| --- |");
        out.append(" :---: |".repeat(MATRIX.size()));
        out.append('\n');
        for (Rule rule : rules) {
            out.append("| [").append(rule.id()).append("](#").append(rule.id()).append(") |");
            for (Profile profile : MATRIX) {
                out.append(profile.contains(rule.profile()) ? " ✓ |" : "  |");
            }
            out.append('\n');
        }
        out.append('\n');
    }

    /**
     * One rule's entry of the reference, from its {@code ### id} heading to its fix: what {@code hardening explain}
     * prints and the help of the rule in SARIF output.
     */
    public static String entry(Rule rule) {
        StringBuilder out = new StringBuilder(2048);
        section(out, rule);
        return out.substring(1);
    }

    private static void section(StringBuilder out, Rule rule) {
        out.append("\n### ").append(rule.id()).append("\n\n")
                .append("**").append(rule.title()).append("** · ").append(profiles(rule))
                .append(switch (rule.judges()) {
                    case SERVICE -> " · judges Services";
                    case COVERAGE -> " · audit and CLI only, never at admission";
                    default -> "";
                }).append("\n\n")
                .append("**Checks:** ").append(rule.description()).append("\n\n")
                .append("**Why:** ").append(rule.rationale()).append("\n\n")
                .append("Fails:\n\n");
        yaml(out, rule.example().failing());
        out.append("Passes:\n\n");
        yaml(out, rule.example().passing());
        out.append("**Fix:** ").append(rule.remediation()).append('\n');
    }

    private static String profiles(Rule rule) {
        List<Profile> profiles = RuleCatalogue.profilesOf(rule);
        if (profiles.isEmpty()) {
            return "opt-in (no profile)";
        }
        return "profiles: " + MATRIX.stream().filter(profiles::contains).map(Profile::displayName)
                .collect(Collectors.joining(", "));
    }

    private static void yaml(StringBuilder out, String text) {
        out.append("```yaml\n").append(text.stripTrailing()).append("\n```\n\n");
    }
}

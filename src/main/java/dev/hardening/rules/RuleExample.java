package dev.hardening.rules;

/**
 * Documentation snippets for a rule: a fragment of a pod manifest that fails and one that passes.
 * Both are YAML, starting at the pod {@code spec:}.
 */
public record RuleExample(String failing, String passing) {
}

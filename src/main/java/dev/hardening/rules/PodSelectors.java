package dev.hardening.rules;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;

/**
 * The one implementation of label-selector matching, with Kubernetes' semantics as NetworkPolicy's {@code podSelector}
 * uses them: an empty selector ({@code {}}, or omitted, which the API server reads as empty) selects every Pod;
 * {@code matchLabels} and every {@code matchExpressions} entry must all hold. {@code In}: the key is set to one of
 * the values; {@code NotIn}: the key is unset or set to none of them; {@code Exists} / {@code DoesNotExist}: the key
 * is set / unset, whatever its value. An unknown operator selects nothing (the API server refuses it anyway).
 */
public final class PodSelectors {

    private PodSelectors() {
    }

    public static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(actual.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                if (!holds(requirement, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (requirement.getOperator() == null ? "" : requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
        };
    }
}

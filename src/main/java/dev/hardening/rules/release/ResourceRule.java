package dev.hardening.rules.release;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.ContainerKind;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Base of the rules that want cpu and memory set under {@code resources.limits} or {@code resources.requests}
 * of every init (sidecars included) and regular container. Ephemeral containers cannot have resources: exempt.
 */
abstract class ResourceRule extends AbstractRule {

    static final List<String> RESOURCES = List.of("cpu", "memory");

    private final String section;

    /** @param section {@code limits} or {@code requests} */
    ResourceRule(RuleInfo info, String section) {
        super(info);
        this.section = section;
    }

    @Override
    public final List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            if (container.kind() == ContainerKind.EPHEMERAL) {
                continue;
            }
            for (String resource : RESOURCES) {
                String relative = "resources." + section + "." + resource;
                String field = container.field(relative);
                String problem = problem(container.container().getResources(), resource);
                if (problem != null) {
                    violations.add(violation(container, relative, field + " " + problem,
                            "set " + field + ", e.g. to " + example(resource)));
                }
            }
        }
        return violations;
    }

    /**
     * What is wrong with {@code resource} in this rule's section of {@code resources}, completing
     * "{@code <field> ...}" (e.g. "is not set"), or {@code null} when it is satisfied.
     */
    abstract String problem(ResourceRequirements resources, String resource);

    static boolean has(Map<String, Quantity> quantities, String resource) {
        if (quantities == null) {
            return false;
        }
        Quantity quantity = quantities.get(resource);
        return quantity != null && quantity.getAmount() != null && !quantity.getAmount().isBlank();
    }

    /**
     * Whether a present quantity is zero in any spelling ({@code 0}, {@code 0m}, {@code 0Mi}, {@code 0.0},
     * {@code 0e3}). One that cannot be parsed is not zero: the API server refuses it before any webhook runs.
     */
    static boolean zero(Quantity quantity) {
        try {
            return quantity.getNumericalAmount().signum() == 0;
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }

    private static String example(String resource) {
        return resource.equals("cpu") ? "500m" : "256Mi";
    }
}

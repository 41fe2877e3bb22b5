package dev.hardening.rules;

import java.util.List;

/** Base for catalogue rules: carries the rule's documented facts and builds its violations. */
public abstract class AbstractRule implements Rule {

    private final RuleInfo info;

    protected AbstractRule(RuleInfo info) {
        this.info = info;
    }

    @Override
    public final String id() {
        return info.id();
    }

    @Override
    public final Profile profile() {
        return info.profile();
    }

    @Override
    public final String title() {
        return info.title();
    }

    @Override
    public final String description() {
        return info.description();
    }

    @Override
    public final String rationale() {
        return info.rationale();
    }

    @Override
    public final String remediation() {
        return info.remediation();
    }

    @Override
    public final RuleExample example() {
        return info.example();
    }

    @Override
    public final List<String> podSecurityChecks() {
        return info.podSecurityChecks();
    }

    /** A problem with one container; {@code field} is relative to the container, e.g. {@code securityContext.privileged}. */
    protected final Violation violation(ContainerRef container, String field, String message, String fix) {
        return violation(container, field, message, fix, null);
    }

    /** As {@link #violation(ContainerRef, String, String, String)}, with the fix a tool can apply. */
    protected final Violation violation(ContainerRef container, String field, String message, String fix, Autofix autofix) {
        String path = field == null || field.isEmpty() ? container.path() : container.field(field);
        return new Violation(id(), path, container.name(), container.image(), message, fix, autofix);
    }

    /** A problem with the pod as a whole; {@code path} is the full path in the submitted object. */
    protected final Violation podViolation(String path, String message, String fix) {
        return podViolation(path, message, fix, null);
    }

    /** As {@link #podViolation(String, String, String)}, with the fix a tool can apply. */
    protected final Violation podViolation(String path, String message, String fix, Autofix autofix) {
        return new Violation(id(), path, null, null, message, fix, autofix);
    }

    @Override
    public String toString() {
        return id();
    }
}

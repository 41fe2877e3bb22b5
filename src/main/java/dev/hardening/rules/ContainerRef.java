package dev.hardening.rules;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.SecurityContext;

/**
 * A container of the evaluated pod together with where it sits in the submitted object.
 * Ephemeral containers are converted to {@link Container} once, so that rules see one type.
 *
 * @param path field path of the container, e.g. {@code spec.template.spec.initContainers[1]}
 */
public record ContainerRef(Container container, ContainerKind kind, int index, String path) {

    /** Stands in for an absent security context; shared, so never modified (rules only read). */
    private static final SecurityContext NO_SECURITY_CONTEXT = new SecurityContext();

    public String name() {
        return container.getName();
    }

    public String image() {
        return container.getImage();
    }

    /** The container's security context; an empty one when it sets none, so rules need no null check. */
    public SecurityContext securityContext() {
        SecurityContext context = container.getSecurityContext();
        return context == null ? NO_SECURITY_CONTEXT : context;
    }

    /** Path of a field below this container: {@code field("securityContext.privileged")}. */
    public String field(String relative) {
        return path + "." + relative;
    }
}

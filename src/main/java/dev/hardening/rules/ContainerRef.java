package dev.hardening.rules;

import io.fabric8.kubernetes.api.model.Container;

/**
 * A container of the evaluated pod together with where it sits in the submitted object.
 * Ephemeral containers are converted to {@link Container} once, so that rules see one type.
 *
 * @param path field path of the container, e.g. {@code spec.template.spec.initContainers[1]}
 */
public record ContainerRef(Container container, ContainerKind kind, int index, String path) {

    public String name() {
        return container.getName();
    }

    public String image() {
        return container.getImage();
    }

    /** Path of a field below this container: {@code field("securityContext.privileged")}. */
    public String field(String relative) {
        return path + "." + relative;
    }

    /** An init container with {@code restartPolicy: Always} runs beside the workload for the pod's life. */
    public boolean sidecar() {
        return kind == ContainerKind.INIT && "Always".equals(container.getRestartPolicy());
    }
}

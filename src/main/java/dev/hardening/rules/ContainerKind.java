package dev.hardening.rules;

/** The pod spec list a container comes from. */
public enum ContainerKind {
    /** {@code initContainers}, including restartable sidecars ({@code restartPolicy: Always}). */
    INIT("initContainers"),
    /** {@code containers}: the workload itself. */
    REGULAR("containers"),
    /** {@code ephemeralContainers}: added by {@code kubectl debug}. */
    EPHEMERAL("ephemeralContainers");

    private final String field;

    ContainerKind(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }
}

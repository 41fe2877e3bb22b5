package dev.hardening.policy;

/** Identifies a HardeningPolicy; prints as {@code namespace/name}, the form used in messages. */
public record PolicyRef(String namespace, String name) {

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

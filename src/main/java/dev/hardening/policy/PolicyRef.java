package dev.hardening.policy;

/** Identifies a HardeningPolicy; prints as {@code namespace/name}, the form used in messages. */
public record PolicyRef(String namespace, String name) {

    @Override
    public String toString() {
        return namespace + "/" + name;
    }

    /** The inverse of {@link #toString()}. */
    public static PolicyRef parse(String namespaceSlashName) {
        int slash = namespaceSlashName.indexOf('/');
        if (slash <= 0 || slash == namespaceSlashName.length() - 1) {
            throw new IllegalArgumentException("not namespace/name: " + namespaceSlashName);
        }
        return new PolicyRef(namespaceSlashName.substring(0, slash), namespaceSlashName.substring(slash + 1));
    }
}

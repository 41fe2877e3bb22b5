package dev.hardening.rules.release;

/** Builds the YAML snippets of the rules' documentation examples: a pod spec with one container. */
final class Examples {

    private Examples() {
    }

    /** {@code spec:} with one container {@code app} of a pinned-looking image and the given container fields. */
    static String app(String containerFields) {
        return container("app", "registry.example.com/app:1.0", containerFields);
    }

    /** {@code spec:} with one container; {@code containerFields} is YAML at container level, e.g. {@code env: ...}. */
    static String container(String name, String image, String containerFields) {
        return "spec:\n  containers:\n  - name: " + name + "\n    image: " + image + "\n" + containerFields.indent(4);
    }
}

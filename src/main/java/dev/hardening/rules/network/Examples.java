package dev.hardening.rules.network;

/** Builds the YAML snippets of the network rules' documentation examples: a Service spec. */
final class Examples {

    private Examples() {
    }

    /** {@code spec:} of a Service selecting {@code app: web} on {@code port}, with {@code specFields} (YAML at spec level) first. */
    static String service(String specFields, int port) {
        return "spec:\n" + specFields.indent(2) + "  selector:\n    app: web\n  ports:\n  - port: " + port + "\n";
    }
}

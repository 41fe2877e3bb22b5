package dev.hardening.testing;

/** Workloads as a user writes them: one compliant with the Hardened profile, one plainly not. */
public final class Manifests {

    public static final String PINNED = "registry.example.com/app:1.0@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31";

    private Manifests() {
    }

    /** A pod spec (at column 0) that every Hardened rule accepts. */
    public static String hardenedPodSpec(String restartPolicy) {
        return """
                restartPolicy: %s
                securityContext:
                  runAsNonRoot: true
                  runAsUser: 10001
                  seccompProfile: {type: RuntimeDefault}
                containers:
                - name: app
                  image: %s
                  resources:
                    requests: {cpu: 100m, memory: 64Mi}
                    limits: {cpu: 500m, memory: 128Mi}
                  securityContext:
                    allowPrivilegeEscalation: false
                    readOnlyRootFilesystem: true
                    capabilities: {drop: [ALL]}
                  livenessProbe: {httpGet: {path: /healthz, port: 8080}}
                  readinessProbe: {httpGet: {path: /ready, port: 8080}}
                """.formatted(restartPolicy, PINNED);
    }

    /** A pod spec that Baseline accepts and Hardened does not: unpinned image, no limits, root allowed. */
    public static String plainPodSpec(String restartPolicy, String image) {
        return """
                restartPolicy: %s
                containers:
                - name: app
                  image: %s
                """.formatted(restartPolicy, image);
    }

    public static String pod(String namespace, String name, String spec) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + namespace + "\nspec:\n" + indent(spec, 2);
    }

    public static String deployment(String namespace, String name, String podSpec) {
        return podController("Deployment", namespace, name, podSpec);
    }

    public static String replicaSet(String namespace, String name, String podSpec) {
        return podController("ReplicaSet", namespace, name, podSpec);
    }

    /** An apps/v1 kind with replicas, a selector on {@code app: <name>} and a Pod template. */
    private static String podController(String kind, String namespace, String name, String podSpec) {
        return """
                apiVersion: apps/v1
                kind: %s
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                """.formatted(kind, name, namespace, name, name) + indent(podSpec, 6);
    }

    public static String cronJob(String namespace, String name, String podSpec) {
        return cronJob(namespace, name, "*/5 * * * *", podSpec);
    }

    public static String cronJob(String namespace, String name, String schedule, String podSpec) {
        return """
                apiVersion: batch/v1
                kind: CronJob
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  schedule: "%s"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                """.formatted(name, namespace, schedule) + indent(podSpec, 10);
    }

    /** {@code yaml} with a controller ownerReference to {@code kind/name} (uid {@code uid}) in its top-level metadata. */
    public static String ownedBy(String yaml, String apiVersion, String kind, String name, String uid) {
        String owner = "metadata:\n  ownerReferences:\n  - {apiVersion: %s, kind: %s, name: %s, uid: %s, controller: true}\n"
                .formatted(apiVersion, kind, name, uid);
        if (!yaml.contains("\nmetadata:\n")) {
            throw new IllegalArgumentException("no top-level metadata in\n" + yaml);
        }
        return yaml.replaceFirst("\nmetadata:\n", java.util.regex.Matcher.quoteReplacement("\n" + owner));
    }

    private static String indent(String text, int spaces) {
        return text.indent(spaces);
    }
}

package dev.hardening.e2e;

/** Workloads as a user writes them: one compliant with the Hardened profile, one plainly not. */
final class Manifests {

    static final String PINNED = "registry.example.com/app:1.0@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31";

    private Manifests() {
    }

    /** A pod spec (at column 0) that every Hardened rule accepts. */
    static String hardenedPodSpec(String restartPolicy) {
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
    static String plainPodSpec(String restartPolicy, String image) {
        return """
                restartPolicy: %s
                containers:
                - name: app
                  image: %s
                """.formatted(restartPolicy, image);
    }

    static String pod(String namespace, String name, String spec) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + namespace + "\nspec:\n" + indent(spec, 2);
    }

    static String deployment(String namespace, String name, String podSpec) {
        return """
                apiVersion: apps/v1
                kind: Deployment
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
                """.formatted(name, namespace, name, name) + indent(podSpec, 6);
    }

    static String cronJob(String namespace, String name, String podSpec) {
        return """
                apiVersion: batch/v1
                kind: CronJob
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  schedule: "*/5 * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                """.formatted(name, namespace) + indent(podSpec, 10);
    }

    private static String indent(String text, int spaces) {
        return text.indent(spaces);
    }
}

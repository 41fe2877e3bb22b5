package dev.hardening.testing;

import dev.hardening.rules.PodTarget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Manifests as a user writes them, for the tests of every package: pod specs that pass every Hardened rule or plainly
 * do not, wrapped in the kinds the cluster runs (YAML text, for kubectl and the CLI), or decoded as admission decodes
 * them ({@link #podTarget}, for the rules).
 */
public final class Manifests {

    /** The image of {@link #hardenedPodSpec}. */
    public static final String PINNED = "registry.example.com/app:1.0@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31";
    /** The image of {@link #COMPLIANT}. */
    public static final String WEB_PINNED = "registry.example.com/web:1.0@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31";

    /** A Deployment {@code web} that passes every Hardened rule; the CLI tests' file of choice. */
    public static final String COMPLIANT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  securityContext:
                    runAsNonRoot: true
                    seccompProfile: {type: RuntimeDefault}
                  containers:
                  - name: app
                    image: %s
                    resources:
                      limits: {cpu: 500m, memory: 128Mi}
                    securityContext:
                      allowPrivilegeEscalation: false
                      readOnlyRootFilesystem: true
                      capabilities: {drop: [ALL]}
                    livenessProbe: {httpGet: {path: /healthz, port: 8080}}
                    readinessProbe: {httpGet: {path: /ready, port: 8080}}
            """.formatted(WEB_PINNED);

    /** {@link #COMPLIANT} with a tag-only image (key at line 17, column 9): one image-digest violation. */
    public static final String UNPINNED = COMPLIANT.replace(WEB_PINNED, "nginx:1.25");

    private Manifests() {
    }

    /** A Deployment {@code shop/web} whose one container {@code app} runs {@code image}: what the scan rules judge. */
    public static String scanDeployment(String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: app
                        image: %s
                """.formatted(image);
    }

    /** The policy {@code shop/gate} with only the two scan rules: image-vulnerabilities denies, image-scanned warns. */
    public static String scanPolicy(String specScan) {
        return """
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: gate, namespace: shop}
                spec:
                  profile: None
                  rules:
                  - id: image-vulnerabilities
                  - id: image-scanned
                    mode: Warn
                """ + specScan;
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

    /** Writes {@code text} to {@code dir/name} (parents created), for the CLI's file arguments. */
    public static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Pod {@code p} whose {@code spec:} is {@code podSpec} (YAML at pod-spec level), as the rules see it. */
    public static PodTarget podTarget(String podSpec) {
        return (PodTarget) Yaml.target("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n" + podSpec.indent(2));
    }

    /** A Deployment {@code d} whose pod template {@code spec:} is {@code podSpec}, as the rules see it. */
    public static PodTarget deploymentTarget(String podSpec) {
        return (PodTarget) Yaml.target("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n"
                + "    spec:\n" + podSpec.indent(6));
    }
}

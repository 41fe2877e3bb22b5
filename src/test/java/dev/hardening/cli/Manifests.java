package dev.hardening.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small manifests the CLI tests write into a temporary directory. */
final class Manifests {

    static final String PINNED = "registry.example.com/web:1.0@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31";

    /** Passes every Hardened rule. */
    static final String COMPLIANT = """
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
            """.formatted(PINNED);

    /** {@link #COMPLIANT} with a tag-only image (key at line 17, column 9): one image-digest violation. */
    static final String UNPINNED = COMPLIANT.replace(PINNED, "nginx:1.25");

    private Manifests() {
    }

    /** A Deployment {@code shop/web} whose one container {@code app} runs {@code image}: what the scan rules judge. */
    static String scanDeployment(String image) {
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
    static String scanPolicy(String specScan) {
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

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

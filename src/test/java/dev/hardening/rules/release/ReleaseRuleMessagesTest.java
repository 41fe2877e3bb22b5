package dev.hardening.rules.release;

import dev.hardening.rules.Autofix;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.hardening.testing.Manifests.deploymentTarget;
import static dev.hardening.testing.Manifests.podTarget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The exact violations users read: path, container, image, message and fix of each release rule. */
class ReleaseRuleMessagesTest {

    private static final String SHA = "0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31";
    private static final RuleSettings NONE = RuleSettings.DEFAULTS;
    private static final RuleSettings TWO_REGISTRIES = new RuleSettings(List.of("registry.example.com/", "ghcr.io/acme/"));

    /** scenario, rule, target, settings, expected violations. */
    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("image-digest: tag only", new ImageDigestRule(),
                        deploymentTarget("containers:\n- name: web\n  image: nginx:1.25"), NONE,
                        List.of(new Violation("image-digest", "spec.template.spec.containers[0].image", "web", "nginx:1.25",
                                "image \"nginx:1.25\" is not pinned by digest",
                                "set spec.template.spec.containers[0].image to nginx:1.25@sha256:<digest>"))),
                arguments("image-digest: uppercase hex is invalid, not pinned", new ImageDigestRule(),
                        podTarget("containers:\n- name: app\n  image: app@sha256:" + SHA.toUpperCase()), NONE,
                        List.of(new Violation("image-digest", "spec.containers[0].image", "app", "app@sha256:" + SHA.toUpperCase(),
                                "image \"app@sha256:" + SHA.toUpperCase() + "\" is not a valid reference: sha256 digest must be lowercase hex",
                                "set spec.containers[0].image to a valid reference, e.g. registry.example.com/app:1.0@sha256:<digest>"))),
                arguments("image-digest: a newline in the image is escaped in the message", new ImageDigestRule(),
                        podTarget("containers:\n- name: app\n  image: \"app:1\\nINJECTED\""), NONE,
                        List.of(new Violation("image-digest", "spec.containers[0].image", "app", "app:1\nINJECTED",
                                "image \"app:1\\u000aINJECTED\" is not a valid reference: reference contains whitespace",
                                "set spec.containers[0].image to a valid reference, e.g. registry.example.com/app:1.0@sha256:<digest>"))),
                arguments("image-tag: no tag", new ImageTagRule(),
                        podTarget("initContainers:\n- name: wait\n  image: busybox"), NONE,
                        List.of(new Violation("image-tag", "spec.initContainers[0].image", "wait", "busybox",
                                "image \"busybox\" has no tag",
                                "set spec.initContainers[0].image to busybox:<version> or pin it by digest"))),
                arguments("image-tag: latest behind a registry port", new ImageTagRule(),
                        podTarget("containers:\n- name: app\n  image: localhost:5000/app:latest"), NONE,
                        List.of(new Violation("image-tag", "spec.containers[0].image", "app", "localhost:5000/app:latest",
                                "image \"localhost:5000/app:latest\" uses the mutable tag \"latest\"",
                                "set spec.containers[0].image to localhost:5000/app:<version> or pin it by digest"))),
                arguments("image-registry: the policy lists no registries", new ImageRegistryRule(),
                        podTarget("containers:\n- name: app\n  image: registry.example.com/app:1.0"), NONE,
                        List.of(new Violation("image-registry", "spec.containers[0].image", "app", "registry.example.com/app:1.0",
                                "image \"registry.example.com/app:1.0\" is not from an allowed registry: the policy lists no registries",
                                "add the registry of spec.containers[0].image to the policy's registries setting"))),
                arguments("image-registry: another registry", new ImageRegistryRule(),
                        podTarget("containers:\n- name: app\n  image: quay.io/acme/app:1.0"), TWO_REGISTRIES,
                        List.of(new Violation("image-registry", "spec.containers[0].image", "app", "quay.io/acme/app:1.0",
                                "image \"quay.io/acme/app:1.0\" is not from an allowed registry",
                                "set spec.containers[0].image to an image under registry.example.com/, ghcr.io/acme/ "
                                        + "(the policy's registries setting)"))),
                arguments("resource-limits: memory missing", new ResourceLimitsRule(),
                        deploymentTarget("containers:\n- name: web\n  image: web:1\n  resources:\n    limits: {cpu: 500m}"), NONE,
                        List.of(new Violation("resource-limits", "spec.template.spec.containers[0].resources.limits.memory", "web", "web:1",
                                "spec.template.spec.containers[0].resources.limits.memory is not set",
                                "set spec.template.spec.containers[0].resources.limits.memory, e.g. to 256Mi"))),
                arguments("resource-limits: zero is no limit", new ResourceLimitsRule(),
                        podTarget("containers:\n- name: app\n  image: app:1\n  resources:\n    limits: {cpu: 0m, memory: \"0\"}"), NONE,
                        List.of(new Violation("resource-limits", "spec.containers[0].resources.limits.cpu", "app", "app:1",
                                        "spec.containers[0].resources.limits.cpu is 0, which means no limit",
                                        "set spec.containers[0].resources.limits.cpu, e.g. to 500m"),
                                new Violation("resource-limits", "spec.containers[0].resources.limits.memory", "app", "app:1",
                                        "spec.containers[0].resources.limits.memory is 0, which means no limit",
                                        "set spec.containers[0].resources.limits.memory, e.g. to 256Mi"))),
                arguments("resource-requests: cpu missing", new ResourceRequestsRule(),
                        podTarget("containers:\n- name: app\n  image: app:1\n  resources:\n    requests: {memory: 1Gi}"), NONE,
                        List.of(new Violation("resource-requests", "spec.containers[0].resources.requests.cpu", "app", "app:1",
                                "spec.containers[0].resources.requests.cpu is not set",
                                "set spec.containers[0].resources.requests.cpu, e.g. to 500m"))),
                arguments("read-only-root-filesystem: unset and false", new ReadOnlyRootFilesystemRule(),
                        podTarget("containers:\n- name: a\n  image: a:1\n- name: b\n  image: b:1\n  securityContext: {readOnlyRootFilesystem: false}"),
                        NONE, List.of(
                                new Violation("read-only-root-filesystem", "spec.containers[0].securityContext.readOnlyRootFilesystem",
                                        "a", "a:1", "spec.containers[0].securityContext.readOnlyRootFilesystem is not set",
                                        "set spec.containers[0].securityContext.readOnlyRootFilesystem to true and mount an "
                                                + "emptyDir on each path the container writes",
                                        new Autofix.SetValue("spec.containers[0].securityContext.readOnlyRootFilesystem", true)),
                                new Violation("read-only-root-filesystem", "spec.containers[1].securityContext.readOnlyRootFilesystem",
                                        "b", "b:1", "spec.containers[1].securityContext.readOnlyRootFilesystem is false",
                                        "set spec.containers[1].securityContext.readOnlyRootFilesystem to true and mount an "
                                                + "emptyDir on each path the container writes",
                                        new Autofix.SetValue("spec.containers[1].securityContext.readOnlyRootFilesystem", true)))),
                arguments("no-plaintext-secrets: secret name and default credential", new NoPlaintextSecretsRule(),
                        podTarget("containers:\n- name: app\n  image: app:1\n  env:\n  - {name: LOG_LEVEL, value: info}\n"
                                + "  - {name: DB_PASSWORD, value: s3cr3t}\n  - {name: ADMIN_PASSWORD, value: Admin}"), NONE, List.of(
                                new Violation("no-plaintext-secrets", "spec.containers[0].env[1].value", "app", "app:1",
                                        "env var \"DB_PASSWORD\" carries a literal secret value",
                                        "set spec.containers[0].env[1].valueFrom.secretKeyRef instead of a literal value, "
                                                + "or mount the secret as a file"),
                                new Violation("no-plaintext-secrets", "spec.containers[0].env[2].value", "app", "app:1",
                                        "env var \"ADMIN_PASSWORD\" is set to a well-known default credential",
                                        "set spec.containers[0].env[2].valueFrom.secretKeyRef to a generated credential, "
                                                + "or mount it as a file"))),
                arguments("health-probes: both missing", new HealthProbesRule(),
                        deploymentTarget("containers:\n- name: web\n  image: web:1"), NONE, List.of(
                                new Violation("health-probes", "spec.template.spec.containers[0].livenessProbe", "web", "web:1",
                                        "spec.template.spec.containers[0].livenessProbe is not set",
                                        "add a livenessProbe (httpGet, tcpSocket, grpc or exec) to spec.template.spec.containers[0]"),
                                new Violation("health-probes", "spec.template.spec.containers[0].readinessProbe", "web", "web:1",
                                        "spec.template.spec.containers[0].readinessProbe is not set",
                                        "add a readinessProbe (httpGet, tcpSocket, grpc or exec) to spec.template.spec.containers[0]"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyWhatIsWrongAndHowToFixIt(String scenario, Rule rule, PodTarget target, RuleSettings settings,
                                                List<Violation> expected) {
        assertThat(rule.evaluate(target, settings)).containsExactlyElementsOf(expected);
    }
}

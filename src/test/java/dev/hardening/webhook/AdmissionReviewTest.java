package dev.hardening.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Profile;
import dev.hardening.testing.TestPolicies;
import dev.hardening.testing.TestPolicyIndex;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AdmissionReviews shaped exactly like the API server sends them ({@code src/test/resources/admission/}), posted over
 * TLS; the answers are checked field by field, as kubectl would show them.
 */
@QuarkusTest
@TestProfile(WebhookTestProfile.class)
class AdmissionReviewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookServer server;

    @Inject
    TestPolicyIndex index;

    @BeforeEach
    void policies() {
        index.clear();
        index.set("payments", TestPolicies.profile("payments", "baseline", Profile.Hardened, RuleMode.Enforce));
        index.set("staging", TestPolicies.profile("staging", "preview", Profile.Hardened, RuleMode.Warn));
        index.set("audited", TestPolicies.profile("audited", "observe", Profile.Hardened, RuleMode.Audit));
    }

    static ObjectNode fixture(String name) {
        try (InputStream in = AdmissionReviewTest.class.getResourceAsStream("/admission/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture admission/" + name + ".json");
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode post(JsonNode review) {
        String body = RestAssured.given().baseUri("https://localhost").port(server.port())
                .trustStore(WebhookTls.trustStore(1)).contentType("application/json")
                .body(review.toString()).post("/validate")
                .then().statusCode(200).contentType("application/json").extract().asString();
        try {
            JsonNode answer = JSON.readTree(body);
            assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
            assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
            assertThat(answer.path("response").path("uid").asText()).isEqualTo(review.path("request").path("uid").asText());
            return answer.path("response");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode post(String fixture) {
        return post(fixture(fixture));
    }

    private static List<String> lines(JsonNode response) {
        return response.path("status").path("message").asText().lines().toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    private static void assertDenied(JsonNode response) {
        assertThat(response.path("allowed").asBoolean(true)).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
        assertThat(response.path("status").path("reason").asText()).isEqualTo("Forbidden");
    }

    private static void assertAllowedSilently(JsonNode response) {
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.has("status") && response.path("status").has("message")).isFalse();
        assertThat(response.path("warnings").isMissingNode() || response.path("warnings").isEmpty()).isTrue();
    }

    @Test
    void aLegacyDeploymentIsDeniedWithEveryProblemAndItsFix() {
        JsonNode denied = post("create-deployment-legacy");

        assertDenied(denied);
        assertThat(lines(denied)).containsExactly(
                "Deployment \"api\" violates HardeningPolicy \"payments/baseline\" (10 problems):",
                "- [run-as-non-root] container \"app\": runAsNonRoot is not set here nor at pod level; set spec.template.spec.containers[0].securityContext.runAsNonRoot to true (or spec.template.spec.securityContext.runAsNonRoot)",
                "- [no-privilege-escalation] container \"app\": allowPrivilegeEscalation is not set (unset allows escalation); set spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation to false",
                "- [drop-all-capabilities] container \"app\": capabilities.drop does not contain ALL; add ALL to spec.template.spec.containers[0].securityContext.capabilities.drop",
                "- [seccomp-profile] container \"app\": seccompProfile is not set here nor at pod level; set spec.template.spec.containers[0].securityContext.seccompProfile.type to RuntimeDefault (or spec.template.spec.securityContext.seccompProfile.type)",
                "- [image-digest] container \"app\": image \"nginx:1.25\" is not pinned by digest; set spec.template.spec.containers[0].image to nginx:1.25@sha256:<digest>",
                "- [resource-limits] container \"app\": spec.template.spec.containers[0].resources.limits.cpu is not set; set spec.template.spec.containers[0].resources.limits.cpu, e.g. to 500m",
                "- [resource-limits] container \"app\": spec.template.spec.containers[0].resources.limits.memory is not set; set spec.template.spec.containers[0].resources.limits.memory, e.g. to 256Mi",
                "- [read-only-root-filesystem] container \"app\": spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem is not set; set spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem to true and mount an emptyDir on each path the container writes",
                "- [health-probes] container \"app\": spec.template.spec.containers[0].livenessProbe is not set; add a livenessProbe (httpGet, tcpSocket, grpc or exec) to spec.template.spec.containers[0]",
                "- [health-probes] container \"app\": spec.template.spec.containers[0].readinessProbe is not set; add a readinessProbe (httpGet, tcpSocket, grpc or exec) to spec.template.spec.containers[0]");
        assertThat(denied.path("warnings").isMissingNode() || denied.path("warnings").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "pod, Pod, web, spec.",
            "deployment, Deployment, api, spec.template.spec.",
            "replicaset, ReplicaSet, api-7d9f8b, spec.template.spec.",
            "statefulset, StatefulSet, db, spec.template.spec.",
            "daemonset, DaemonSet, agent, spec.template.spec.",
            "job, Job, migrate, spec.template.spec.",
            "cronjob, CronJob, report, spec.jobTemplate.spec.template.spec.",
            "replicationcontroller, ReplicationController, legacy, spec.template.spec.",
            "podtemplate, PodTemplate, template, template.spec."})
    void everyHandledResourceIsJudgedOnItsPodSpec(String fixture, String kind, String name, String specPath) {
        JsonNode denied = post("create-" + fixture + "-legacy");

        assertDenied(denied);
        List<String> lines = lines(denied);
        assertThat(lines.get(0)).matches(kind + " \"" + name + "\" violates HardeningPolicy \"payments/baseline\" \\("
                + (lines.size() - 1) + " problems\\):");
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> {
            assertThat(line).matches("- \\[[a-z-]+\\] container \"app\": .+");
            assertThat(line).contains(specPath + "containers[0]");
        });
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("- [image-digest] container \"app\": "));

        assertAllowedSilently(post("create-" + fixture + "-hardened"));
    }

    @Test
    void anExposedServiceIsDeniedWithEveryExposureAndAClusterIpOneIsAllowed() {
        JsonNode denied = post("create-service-exposed");

        assertDenied(denied);
        assertThat(lines(denied)).containsExactly(
                "Service \"metrics\" violates HardeningPolicy \"payments/baseline\" (3 problems):",
                "- [service-external-ips] external IP 203.0.113.10 is not in a range the policy allows: this Service would capture the cluster's traffic to it (CVE-2020-8554); remove spec.externalIPs[0] (or add its range to the policy's spec.network.allowedExternalIPs)",
                "- [service-load-balancer] type LoadBalancer without loadBalancerSourceRanges is reachable from any address; set spec.loadBalancerSourceRanges to the client CIDRs that need it",
                "- [service-node-port] type LoadBalancer also opens a port on every node; set spec.allocateLoadBalancerNodePorts to false (if the load balancer sends traffic to the Pods directly)");
        assertAllowedSilently(post("create-service-clusterip"));
    }

    @Test
    void aLegacyNodePortServiceCanBeRelabelledButAServiceCannotBecomeOne() {
        JsonNode relabelled = post("update-service-legacy-relabelled");

        assertThat(relabelled.path("allowed").asBoolean()).isTrue();
        assertThat(strings(relabelled.path("warnings"))).containsExactly(
                "[service-node-port] type NodePort opens a port on every node (already present; enforced once changed)");

        JsonNode exposed = post("update-service-clusterip-to-nodeport");
        assertDenied(exposed);
        assertThat(lines(exposed)).containsExactly(
                "Service \"legacy\" violates HardeningPolicy \"payments/baseline\" (1 problem):",
                "- [service-node-port] type NodePort opens a port on every node; set spec.type to ClusterIP and expose it through an Ingress or a Gateway");
    }

    @Test
    void dryRunGetsTheSameAnswer() {
        JsonNode real = post("create-deployment-legacy");
        JsonNode dry = post("create-deployment-legacy-dryrun");

        assertDenied(dry);
        assertThat(dry.path("status")).isEqualTo(real.path("status"));
    }

    @Test
    void warnModeAllowsWithOneWarningPerProblem() {
        List<String> denialLines = lines(post("create-deployment-legacy"));
        JsonNode warned = post("create-deployment-legacy-warn");

        assertThat(warned.path("allowed").asBoolean()).isTrue();
        List<String> problems = denialLines.subList(1, denialLines.size()).stream().map(line -> line.substring(2)).toList();
        List<String> warnings = strings(warned.path("warnings"));
        assertThat(warnings).hasSameSizeAs(problems);
        for (int i = 0; i < warnings.size(); i++) {
            // a long problem line is warned about without its fix, so that each warning stays one terminal line
            assertThat(problems.get(i)).startsWith(warnings.get(i));
        }
        assertThat(warnings).contains("[image-digest] container \"app\": image \"nginx:1.25\" is not pinned by digest");
    }

    @Test
    void auditModeAllowsAndAnnotates() {
        JsonNode audited = post("create-deployment-legacy-audit");

        assertThat(audited.path("allowed").asBoolean()).isTrue();
        assertThat(audited.path("warnings").isMissingNode() || audited.path("warnings").isEmpty()).isTrue();
        assertThat(audited.path("auditAnnotations").path("image-digest").asText())
                .isEqualTo("audited/observe: container \"app\" spec.template.spec.containers[0].image");
    }

    @Test
    void aNamespaceWithoutPolicyIsNotChecked() {
        assertAllowedSilently(post("create-deployment-legacy-no-policy"));
    }

    @Test
    void scalingALegacyDeploymentOnlyWarns() {
        JsonNode scaled = post("update-deployment-legacy-scaled");

        assertThat(scaled.path("allowed").asBoolean()).isTrue();
        assertThat(strings(scaled.path("warnings"))).isNotEmpty()
                .allSatisfy(w -> assertThat(w).endsWith(" (already present; enforced once changed)"));
    }

    @Test
    void anUnchangedLegacyDeploymentCanBeRelabelledScaledAndReorderedWithWarningsOnly() {
        JsonNode relabelled = post("update-deployment-legacy-relabelled");

        assertThat(relabelled.path("allowed").asBoolean()).isTrue();
        assertThat(strings(relabelled.path("warnings"))).isNotEmpty()
                .allSatisfy(w -> assertThat(w).endsWith(" (already present; enforced once changed)"))
                .anySatisfy(w -> assertThat(w).startsWith("[no-host-path] volume \"logs\" mounts host path /var/log/app"))
                .anySatisfy(w -> assertThat(w).startsWith("[no-plaintext-secrets] container \"app\": env var \"DB_PASSWORD\""));
    }

    static Stream<Arguments> escalations() {
        String hostPath = "- [no-host-path] volume \"logs\" mounts host path /; replace spec.template.spec.volumes[0].hostPath "
                + "with an emptyDir, configMap, secret or persistentVolumeClaim volume";
        String volumeType = "- [restricted-volume-types] volume \"logs\" uses restricted volume type \"hostPath\"; replace "
                + "spec.template.spec.volumes[0] with a persistentVolumeClaim, configMap, secret, emptyDir or another allowed type";
        return Stream.of(
                Arguments.of("update-deployment-legacy-hostpath-root", List.of(hostPath, volumeType)),
                Arguments.of("update-deployment-legacy-run-as-root", List.of(
                        "- [run-as-non-root] container \"app\": sets runAsUser to 0 (root); set "
                                + "spec.template.spec.containers[0].securityContext.runAsUser to a non-zero UID, or remove it")),
                Arguments.of("update-deployment-legacy-second-secret", List.of(
                        "- [no-plaintext-secrets] container \"app\": env var \"API_TOKEN\" carries a literal secret value; set "
                                + "spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef instead of a literal value, "
                                + "or mount the secret as a file")),
                Arguments.of("update-deployment-legacy-secret-changed", List.of(
                        "- [no-plaintext-secrets] container \"app\": env var \"DB_PASSWORD\" carries a literal secret value; set "
                                + "spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef instead of a literal value, "
                                + "or mount the secret as a file")));
    }

    /** The ratchet compares what a violation is about: a new field or a new value there is new, and enforced. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("escalations")
    void aViolationAtANewFieldOrWithANewValueIsEnforcedOnALegacyObject(String fixture, List<String> problems) {
        JsonNode denied = post(fixture);

        assertDenied(denied);
        List<String> expected = new ArrayList<>();
        expected.add("Deployment \"legacy\" violates HardeningPolicy \"payments/baseline\" (" + problems.size()
                + (problems.size() == 1 ? " problem):" : " problems):"));
        expected.addAll(problems);
        assertThat(lines(denied)).containsExactlyElementsOf(expected);
        assertThat(strings(denied.path("warnings"))).isNotEmpty()
                .allSatisfy(w -> assertThat(w).endsWith(" (already present; enforced once changed)"));
        assertThat(denied.toString()).doesNotContain("legacy-password").doesNotContain("tok-2f9c81d7e3");
    }

    @Test
    void changingTheImageOfALegacyDeploymentRejudgesTheContainer() {
        JsonNode retagged = post("update-deployment-legacy-set-image");

        assertDenied(retagged);
        assertThat(lines(retagged)).anySatisfy(line -> assertThat(line).startsWith(
                "- [image-digest] container \"app\": image \"nginx:1.27\""));
    }

    @Test
    void kubectlDebugCannotAddANonCompliantEphemeralContainer() {
        JsonNode debug = post("update-pod-ephemeralcontainers-debug");

        assertDenied(debug);
        List<String> lines = lines(debug);
        assertThat(lines.get(0)).startsWith("Pod \"web\" violates HardeningPolicy \"payments/baseline\"");
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line)
                .startsWith("- [").contains("container \"debugger-x7k2p\": ").contains("spec.ephemeralContainers[0]"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("- [no-privileged] container \"debugger-x7k2p\""));
    }

    @Test
    void mirrorPodsAreAllowedWithWarnings() {
        JsonNode mirror = post("create-pod-mirror");

        assertThat(mirror.path("allowed").asBoolean()).isTrue();
        assertThat(strings(mirror.path("warnings"))).isNotEmpty()
                .allSatisfy(w -> assertThat(w).endsWith(" (mirror pod: not enforced)"));
    }

    @Test
    void aZeroLimitIsNoLimit() {
        JsonNode denied = post("create-deployment-zero-limits");

        assertDenied(denied);
        assertThat(lines(denied)).containsExactly(
                "Deployment \"api\" violates HardeningPolicy \"payments/baseline\" (2 problems):",
                "- [resource-limits] container \"app\": spec.template.spec.containers[0].resources.limits.cpu is 0, which means no limit; set spec.template.spec.containers[0].resources.limits.cpu, e.g. to 500m",
                "- [resource-limits] container \"app\": spec.template.spec.containers[0].resources.limits.memory is 0, which means no limit; set spec.template.spec.containers[0].resources.limits.memory, e.g. to 256Mi");
    }

    @Test
    void aDependentVariableReferenceToASecretIsNotALiteral() {
        assertAllowedSilently(post("create-deployment-env-reference"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"create-pod-mirror-forged", "create-pod-mirror-other-node"})
    void aMirrorPodAnnotationFromAnyoneButItsNodeChangesNothing(String fixture) {
        JsonNode denied = post(fixture);

        assertDenied(denied);
        assertThat(lines(denied)).containsExactly(
                "Pod \"root-shell\" violates HardeningPolicy \"payments/baseline\" (13 problems):",
                "- [no-privileged] container \"shell\": runs privileged (securityContext.privileged is true); set spec.containers[0].securityContext.privileged to false (or remove it)",
                "- [no-host-path] volume \"host\" mounts host path /; replace spec.volumes[0].hostPath with an emptyDir, configMap, secret or persistentVolumeClaim volume",
                "- [run-as-non-root] container \"shell\": runAsNonRoot is not set here nor at pod level; set spec.containers[0].securityContext.runAsNonRoot to true (or spec.securityContext.runAsNonRoot)",
                "- [no-privilege-escalation] container \"shell\": allowPrivilegeEscalation is not set (unset allows escalation); set spec.containers[0].securityContext.allowPrivilegeEscalation to false",
                "- [drop-all-capabilities] container \"shell\": capabilities.drop does not contain ALL; add ALL to spec.containers[0].securityContext.capabilities.drop",
                "- [seccomp-profile] container \"shell\": seccompProfile is not set here nor at pod level; set spec.containers[0].securityContext.seccompProfile.type to RuntimeDefault (or spec.securityContext.seccompProfile.type)",
                "- [restricted-volume-types] volume \"host\" uses restricted volume type \"hostPath\"; replace spec.volumes[0] with a persistentVolumeClaim, configMap, secret, emptyDir or another allowed type",
                "- [image-digest] container \"shell\": image \"busybox:1.36\" is not pinned by digest; set spec.containers[0].image to busybox:1.36@sha256:<digest>",
                "- [resource-limits] container \"shell\": spec.containers[0].resources.limits.cpu is not set; set spec.containers[0].resources.limits.cpu, e.g. to 500m",
                "- [resource-limits] container \"shell\": spec.containers[0].resources.limits.memory is not set; set spec.containers[0].resources.limits.memory, e.g. to 256Mi",
                "- [read-only-root-filesystem] container \"shell\": spec.containers[0].securityContext.readOnlyRootFilesystem is not set; set spec.containers[0].securityContext.readOnlyRootFilesystem to true and mount an emptyDir on each path the container writes",
                "- [health-probes] container \"shell\": spec.containers[0].livenessProbe is not set; add a livenessProbe (httpGet, tcpSocket, grpc or exec) to spec.containers[0]",
                "- [health-probes] container \"shell\": spec.containers[0].readinessProbe is not set; add a readinessProbe (httpGet, tcpSocket, grpc or exec) to spec.containers[0]",
                "The annotation kubernetes.io/config.mirror is reserved for the kubelet: only the Pod's own node (user system:node:<spec.nodeName>) may create mirror pods, so from anyone else it exempts nothing.");
        assertThat(denied.path("warnings").isMissingNode() || denied.path("warnings").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"create-pod-of-replicaset-by-controller", "create-replicaset-of-deployment-by-controller",
            "create-job-of-cronjob-by-controller"})
    void whatABuiltInControllerDerivesForItsOwnerIsNotJudgedAgain(String fixture) {
        assertAllowedSilently(post(fixture));
    }

    @Test
    void aPersonsPodWithAForgedOwnerReferenceIsJudgedInFull() {
        List<String> bare = lines(post("create-pod-legacy"));
        JsonNode denied = post("create-pod-of-replicaset-forged-owner");

        assertDenied(denied);
        assertThat(lines(denied).get(0)).isEqualTo(
                "Pod \"legacy-77568f6bff-*\" violates HardeningPolicy \"payments/baseline\" (" + (bare.size() - 1) + " problems):");
        assertThat(lines(denied).subList(1, lines(denied).size())).isEqualTo(bare.subList(1, bare.size()));
    }

    @Test
    void aControllerIsTrustedOnlyForWhatItsOwnerKindDerives() {
        JsonNode denied = post("create-pod-owned-by-deployment-by-controller");

        assertDenied(denied);
        assertThat(lines(denied).get(0)).startsWith("Pod \"legacy-77568f6bff-*\" violates HardeningPolicy \"payments/baseline\"");
    }

    @Test
    void anUnreadableObjectIsDeniedNamingWhere() {
        JsonNode unreadable = post("create-deployment-unreadable");

        assertDenied(unreadable);
        assertThat(unreadable.path("status").path("message").asText()).isEqualTo(
                "Deployment \"api\" cannot be checked: cannot read it as a Deployment: unexpected value or type "
                        + "at spec.template.spec.containers");
    }

    @Test
    void otherKindsAndOperationsAreAllowed() {
        assertAllowedSilently(post("create-configmap"));
        assertAllowedSilently(post("delete-pod-legacy"));
    }

    @Test
    void aReplicaThatHasNotLoadedPoliciesAsksToRetry() {
        index.ready(false);

        JsonNode response = post("create-deployment-hardened");

        assertThat(response.path("allowed").asBoolean(true)).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(503);
        assertThat(response.path("status").path("message").asText())
                .isEqualTo("hardening-operator has not loaded the HardeningPolicies yet; retry in a few seconds");
    }

    @Test
    void warningsStayWithinWhatTheApiServerKeeps() {
        ObjectNode review = fixture("create-deployment-legacy-warn");
        ArrayNode containers = (ArrayNode) review.at("/request/object/spec/template/spec/containers");
        JsonNode template = containers.get(0);
        for (int i = 1; i < 40; i++) {
            containers.add(((ObjectNode) template.deepCopy()).put("name", "worker-with-a-rather-long-name-" + i));
        }

        List<String> warnings = strings(post(review).path("warnings"));

        assertThat(warnings).allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(256));
        assertThat(warnings.stream().mapToInt(String::length).sum()).isLessThan(4096);
        assertThat(warnings.get(warnings.size() - 1)).matches("and \\d+ more hardening warnings .*");
    }

    @Test
    void denialsAndViolationsAreCountedOnTheManagementPort() {
        post("create-deployment-legacy");
        post("create-deployment-legacy-audit");

        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        String metrics = RestAssured.given().port(port).get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics)
                .containsPattern("hardening_admission_requests_total\\{[^}]*decision=\"denied\"[^}]*kind=\"Deployment\"[^}]*operation=\"CREATE\"[^}]*} [1-9]")
                .containsPattern("hardening_violations_total\\{[^}]*mode=\"Audit\"[^}]*rule=\"image-digest\"[^}]*} [1-9]")
                .contains("hardening_admission_duration_seconds_bucket");
    }
}

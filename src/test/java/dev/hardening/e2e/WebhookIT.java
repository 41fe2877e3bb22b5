package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook as a user meets it: the real kubectl, the real kube-apiserver calling the packaged operator through
 * the ValidatingWebhookConfiguration the operator registered itself (loopback URL, its own caBundle).
 */
@EndToEnd
class WebhookIT {

    static final String ENFORCE = "e2e-enforce";
    static final String WARN = "e2e-warn";
    static final String EXCLUDED = "e2e-excluded";
    static final String CHANGE = "e2e-change";
    static final String RATCHET = "e2e-ratchet";
    static final String DENIED = "admission webhook \"validate.hardening.dev\" denied the request: ";

    private static Kubectl kubectl;
    private static Fixtures fixtures;
    private static OperatorProcess operator;

    @BeforeAll
    static void startOperator(EndToEnd.E2e e2e) {
        kubectl = e2e.kubectl();
        fixtures = e2e.fixtures();
        e2e.namespaces(ENFORCE, WARN, EXCLUDED, CHANGE, RATCHET);
        fixtures.apply(Fixtures.policy(ENFORCE, "strict", "Hardened", "Enforce"));
        fixtures.apply(Fixtures.policy(WARN, "advice", "Hardened", "Warn"));
        fixtures.apply(Fixtures.policy(EXCLUDED, "strict", "Hardened", "Enforce"));
        fixtures.apply(Fixtures.policy(CHANGE, "gate", "Hardened", "Warn"));
        fixtures.apply(Fixtures.policy(RATCHET, "gate", "Baseline", "Enforce"));
        operator = e2e.operator("webhook-it-operator", Map.of("HARDENING_WEBHOOK_EXCLUDED_NAMESPACES", EXCLUDED));
        for (String ns : List.of(ENFORCE, WARN, EXCLUDED)) {
            fixtures.awaitPolicyReady(ns, ns.equals(WARN) ? "advice" : "strict");
        }
        fixtures.awaitPolicyReady(CHANGE, "gate");
        fixtures.awaitPolicyReady(RATCHET, "gate");
        fixtures.awaitWebhookDenies(ENFORCE);
    }

    @Test
    @OldestKubernetes
    void aNonCompliantDeploymentIsRejectedWithEveryProblem() {
        Path file = fixtures.manifest("api-deployment.yaml", Manifests.deployment(ENFORCE, "api", Manifests.plainPodSpec("Always", "nginx:1.25")));

        Kubectl.Result result = kubectl.run("apply", "-f", file.toString());

        assertDenied(result, "creating", file, "Deployment \"api\"", "e2e-enforce/strict", "spec.template.spec.containers[0]");
        assertNotFound("deployment", "api", ENFORCE);
    }

    @Test
    void aNonCompliantCronJobIsRejected() {
        Path file = fixtures.manifest("report-cronjob.yaml", Manifests.cronJob(ENFORCE, "report", Manifests.plainPodSpec("Never", "nginx:1.25")));

        Kubectl.Result result = kubectl.run("create", "-f", file.toString());

        assertDenied(result, "creating", file, "CronJob \"report\"", "e2e-enforce/strict", "spec.jobTemplate.spec.template.spec.containers[0]");
        assertNotFound("cronjob", "report", ENFORCE);
    }

    @Test
    @OldestKubernetes
    void aNonCompliantPodIsRejected() {
        Path file = fixtures.manifest("shell-pod.yaml", Manifests.pod(ENFORCE, "shell", Manifests.plainPodSpec("Always", "nginx:1.25")));

        Kubectl.Result result = kubectl.run("apply", "-f", file.toString());

        assertDenied(result, "creating", file, "Pod \"shell\"", "e2e-enforce/strict", "spec.containers[0]");
        assertNotFound("pod", "shell", ENFORCE);
    }

    @Test
    void compliantWorkloadsAreCreatedWithoutWarnings() {
        Path deployment = fixtures.manifest("web-deployment.yaml", Manifests.deployment(ENFORCE, "web", Manifests.hardenedPodSpec("Always")));
        Path cronJob = fixtures.manifest("nightly-cronjob.yaml", Manifests.cronJob(ENFORCE, "nightly", Manifests.hardenedPodSpec("Never")));
        Path pod = fixtures.manifest("web-pod.yaml", Manifests.pod(ENFORCE, "web", Manifests.hardenedPodSpec("Always")));

        Kubectl.Result result = kubectl.run("apply", "-f", deployment.toString(), "-f", cronJob.toString(), "-f", pod.toString());

        assertThat(result.stdoutLines()).as(result.describe())
                .containsExactly("deployment.apps/web created", "cronjob.batch/nightly created", "pod/web created");
        assertThat(result.stderr()).as(result.describe()).isEmpty();
    }

    @Test
    void serverDryRunGivesTheSameAnswerAndStoresNothing() {
        Path bad = fixtures.manifest("dry-bad.yaml", Manifests.deployment(ENFORCE, "dry-bad", Manifests.plainPodSpec("Always", "nginx:1.25")));
        Path good = fixtures.manifest("dry-good.yaml", Manifests.deployment(ENFORCE, "dry-good", Manifests.hardenedPodSpec("Always")));

        Kubectl.Result denied = kubectl.run("apply", "--dry-run=server", "-f", bad.toString());
        Kubectl.Result allowed = kubectl.run("apply", "--dry-run=server", "-f", good.toString());

        assertDenied(denied, "creating", bad, "Deployment \"dry-bad\"", "e2e-enforce/strict", "spec.template.spec.containers[0]");
        assertThat(allowed.stdoutLines()).as(allowed.describe()).containsExactly("deployment.apps/dry-good created (server dry run)");
        assertNotFound("deployment", "dry-good", ENFORCE);
    }

    @Test
    void warnModeAdmitsWithOneWarningPerProblem() {
        Path file = fixtures.manifest("warned-deployment.yaml", Manifests.deployment(WARN, "api", Manifests.plainPodSpec("Always", "nginx:1.25")));

        Kubectl.Result result = kubectl.run("apply", "-f", file.toString());

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdoutLines()).as(result.describe()).containsExactly("deployment.apps/api created");
        assertThat(result.stderrLines()).as(result.describe()).containsExactly(
                "Warning: [run-as-non-root] container \"app\": runAsNonRoot is not set here nor at pod level",
                "Warning: [no-privilege-escalation] container \"app\": allowPrivilegeEscalation is not set (unset allows escalation)",
                "Warning: [drop-all-capabilities] container \"app\": capabilities.drop does not contain ALL",
                "Warning: [seccomp-profile] container \"app\": seccompProfile is not set here nor at pod level",
                "Warning: [image-digest] container \"app\": image \"nginx:1.25\" is not pinned by digest",
                "Warning: [resource-limits] container \"app\": spec.template.spec.containers[0].resources.limits.cpu is not set",
                "Warning: [resource-limits] container \"app\": spec.template.spec.containers[0].resources.limits.memory is not set",
                "Warning: [read-only-root-filesystem] container \"app\": spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem is not set",
                "Warning: [health-probes] container \"app\": spec.template.spec.containers[0].livenessProbe is not set",
                "Warning: [health-probes] container \"app\": spec.template.spec.containers[0].readinessProbe is not set");
    }

    @Test
    void kubectlDebugCannotAddANonCompliantEphemeralContainer() {
        kubectl.runWithInput(Manifests.pod(ENFORCE, "debug-target", Manifests.hardenedPodSpec("Always")), "apply", "-f", "-");

        Kubectl.Result result = kubectl.run("debug", "debug-target", "-n", ENFORCE, "--image=busybox:1.36", "--container=debugger");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).as(result.describe())
                .contains(DENIED + "Pod \"debug-target\" violates HardeningPolicy \"e2e-enforce/strict\"")
                .contains("- [image-digest] container \"debugger\": ");
        assertThat(kubectl.ok("get", "pod", "debug-target", "-n", ENFORCE, "-o", "jsonpath={.spec.ephemeralContainers}")).isEmpty();
    }

    @Test
    void anExcludedNamespaceIsNotEvaluated() {
        Path file = fixtures.manifest("excluded-pod.yaml", Manifests.pod(EXCLUDED, "legacy", Manifests.plainPodSpec("Always", "nginx:1.25")));

        Kubectl.Result result = kubectl.run("apply", "-f", file.toString());

        assertThat(result.stdoutLines()).as(result.describe()).containsExactly("pod/legacy created");
        assertThat(result.stderr()).as(result.describe()).isEmpty();
    }

    @Test
    void aPolicyChangeAppliesToTheNextAdmissionOnceReady() {
        Path first = fixtures.manifest("change-first.yaml", Manifests.deployment(CHANGE, "first", Manifests.plainPodSpec("Always", "nginx:1.25")));
        Path second = fixtures.manifest("change-second.yaml", Manifests.deployment(CHANGE, "second", Manifests.plainPodSpec("Always", "nginx:1.25")));
        assertThat(kubectl.run("apply", "-f", first.toString()).stdoutLines()).containsExactly("deployment.apps/first created");

        kubectl.ok("patch", "hardeningpolicy", "gate", "-n", CHANGE, "--type=merge", "-p", "{\"spec\":{\"mode\":\"Enforce\"}}");
        fixtures.awaitPolicyReady(CHANGE, "gate");
        Kubectl.Result result = kubectl.run("apply", "-f", second.toString());

        assertDenied(result, "creating", second, "Deployment \"second\"", "e2e-change/gate", "spec.template.spec.containers[0]");
    }

    @Test
    void afterTighteningExistingWorkloadsCanBeScaledAndRelabelledButNotGivenAnUnpinnedImage() {
        Path file = fixtures.manifest("ratchet-legacy.yaml", Manifests.deployment(RATCHET, "legacy", Manifests.plainPodSpec("Always", "nginx:1.25")));
        assertThat(kubectl.run("apply", "-f", file.toString()).stdoutLines()).containsExactly("deployment.apps/legacy created");

        kubectl.ok("patch", "hardeningpolicy", "gate", "-n", RATCHET, "--type=merge", "-p", "{\"spec\":{\"profile\":\"Hardened\"}}");
        fixtures.awaitPolicyReady(RATCHET, "gate");

        assertThat(kubectl.run("scale", "deployment/legacy", "-n", RATCHET, "--replicas=3").stdoutLines())
                .containsExactly("deployment.apps/legacy scaled");
        Kubectl.Result patched = kubectl.run("patch", "deployment", "legacy", "-n", RATCHET, "--type=merge", "-p", "{\"spec\":{\"replicas\":2}}");
        assertThat(patched.stdoutLines()).as(patched.describe()).containsExactly("deployment.apps/legacy patched");
        assertThat(patched.stderrLines()).as(patched.describe())
                .anySatisfy(line -> assertThat(line).startsWith("Warning: [image-digest] container \"app\": ")
                        .endsWith("(already present; enforced once changed)"));
        Kubectl.Result labelled = kubectl.run("label", "deployment", "legacy", "-n", RATCHET, "tier=web");
        assertThat(labelled.stdoutLines()).as(labelled.describe()).containsExactly("deployment.apps/legacy labeled");

        Kubectl.Result setImage = kubectl.run("set", "image", "deployment/legacy", "-n", RATCHET, "app=nginx:1.26");

        assertThat(setImage.exitCode()).as(setImage.describe()).isNotZero();
        assertThat(setImage.stderr()).as(setImage.describe())
                .contains(DENIED + "Deployment \"legacy\" violates HardeningPolicy \"e2e-ratchet/gate\"")
                .contains("- [image-digest] container \"app\": image \"nginx:1.26\"");
        assertThat(kubectl.ok("get", "deployment", "legacy", "-n", RATCHET, "-o", "jsonpath={.spec.template.spec.containers[0].image}"))
                .isEqualTo("nginx:1.25");
    }

    @Test
    void theApiServerSpeaksHttp2ToTheWebhook() throws Exception {
        Path file = fixtures.manifest("h2-pod.yaml", Manifests.pod(ENFORCE, "h2", Manifests.plainPodSpec("Always", "nginx:1.25")));

        Kubectl.Result result = kubectl.run("create", "--dry-run=server", "-f", file.toString());

        assertThat(result.stderr()).as(result.describe()).contains(DENIED + "Pod \"h2\" violates HardeningPolicy");
        // only the API server offers h2 here: the harness's and the operator's own certificate probes are plain TLS
        assertThat(connections("h2")).as("connections the API server opened with ALPN h2").isPositive();
    }

    /** {@code hardening_webhook_connections_total{protocol="<protocol>"}} on the operator's management port. */
    private static double connections(String protocol) throws Exception {
        String metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.managementPort() + "/q/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines()
                .filter(line -> line.startsWith("hardening_webhook_connections_total{") && line.contains("protocol=\"" + protocol + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** kubectl's first line names the file, the webhook, the object and the policy; then one line per problem. */
    static void assertDenied(Kubectl.Result result, String verb, Path file, String object, String policy, String fieldPrefix) {
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        List<String> lines = result.stderrLines();
        assertThat(lines).as(result.describe()).isNotEmpty();
        assertThat(lines.get(0)).as(result.describe()).matches(java.util.regex.Pattern.quote(
                "Error from server (Forbidden): error when " + verb + " \"" + file + "\": " + DENIED
                        + object + " violates HardeningPolicy \"" + policy + "\" (") + "\\d+ problems\\):");
        assertThat(lines.subList(1, lines.size())).as(result.describe())
                .allSatisfy(line -> assertThat(line).matches("- (\\[[a-z-]+\\] .*|and \\d+ more)"))
                .anySatisfy(line -> assertThat(line).startsWith("- [image-digest] container \"app\": image \"nginx:1.25\"")
                        .contains(fieldPrefix + ".image"))
                .anySatisfy(line -> assertThat(line).startsWith("- [resource-limits] container \"app\": ")
                        .contains(fieldPrefix + ".resources.limits"))
                .anySatisfy(line -> assertThat(line).startsWith("- [run-as-non-root] container \"app\": "));
    }

    private static void assertNotFound(String kind, String name, String namespace) {
        Kubectl.Result result = kubectl.run("get", kind, name, "-n", namespace, "-o", "name");
        assertThat(result.stderr()).as(result.describe()).startsWith("Error from server (NotFound): ");
    }
}

package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.hardening.e2e.WebhookIT.DENIED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promises of issue 10 with the real workload controllers of kube-controller-manager, each under its own
 * ServiceAccount: what people write is judged, what the controllers derive from an accepted object is trusted
 * (a rollout costs one webhook call, and a legacy workload can still roll out after its namespace is tightened),
 * and nobody gets around it by forging an owner, a mirror-pod annotation, a zero limit or a grown legacy violation.
 */
@EndToEnd
class ControllersIT {

    static final String ENFORCE = "e2e-ctl-enforce";
    static final String CRON = "e2e-ctl-cron";
    static final String FORGED = "e2e-ctl-forged";
    static final String TIGHTEN = "e2e-ctl-tighten";
    static final String RATCHET = "e2e-ctl-ratchet";
    static final String CONTROLLER = "system:serviceaccount:kube-system:";

    private static ControlPlane cluster;
    private static Kubectl kubectl;
    private static Fixtures fixtures;
    private static OperatorProcess operator;

    @BeforeAll
    static void startOperator(EndToEnd.E2e e2e) {
        cluster = e2e.cluster();
        kubectl = e2e.kubectl();
        fixtures = e2e.fixtures();
        e2e.namespaces(ENFORCE, CRON, FORGED, TIGHTEN, RATCHET);
        for (String ns : List.of(ENFORCE, CRON, FORGED)) {
            fixtures.apply(Fixtures.policy(ns, "strict", "Hardened", "Enforce"));
        }
        for (String ns : List.of(TIGHTEN, RATCHET)) {
            fixtures.apply(Fixtures.policy(ns, "gate", "Hardened", "Warn"));
        }
        operator = e2e.operator("controllers-it-operator", Map.of());
        for (String ns : List.of(ENFORCE, CRON, FORGED)) {
            fixtures.awaitPolicyReady(ns, "strict");
        }
        for (String ns : List.of(TIGHTEN, RATCHET)) {
            fixtures.awaitPolicyReady(ns, "gate");
        }
        fixtures.awaitWebhookDenies(ENFORCE);
        // The cronjob controller starts a Job at the next full minute: created first, the wait overlaps the other tests.
        Kubectl.Result cronJob = kubectl.runWithInput(Manifests.cronJob(CRON, "every-minute", "* * * * *",
                Manifests.hardenedPodSpec("Never")), "create", "-f", "-");
        assertThat(cronJob.stdoutLines()).as(cronJob.describe()).containsExactly("cronjob.batch/every-minute created");
    }

    @Test
    @OldestKubernetes
    void aCompliantDeploymentGetsItsReplicaSetAndPodsAndOnlyTheDeploymentReachesTheWebhook() {
        Path file = fixtures.manifest("web-deployment.yaml",
                Manifests.deployment(ENFORCE, "web", Manifests.hardenedPodSpec("Always")).replace("replicas: 1", "replicas: 3"));
        long[] before = webhookCalls();

        Kubectl.Result result = kubectl.run("apply", "-f", file.toString());

        assertThat(result.stdoutLines()).as(result.describe()).containsExactly("deployment.apps/web created");
        assertThat(result.stderr()).as(result.describe()).isEmpty();
        awaitPods(ENFORCE, "app=web", 3);
        assertThat(replicaSets(ENFORCE, "app=web")).containsExactly("1=3");
        assertThat(cluster.creators("replicasets", ENFORCE)).containsExactly(CONTROLLER + "deployment-controller");
        assertThat(cluster.creators("pods", ENFORCE)).containsOnly(CONTROLLER + "replicaset-controller").hasSize(3);
        long[] after = webhookCalls();
        assertThat(new long[]{after[0] - before[0], after[1] - before[1], after[2] - before[2]})
                .as("webhook calls for Deployment, ReplicaSet, Pod: the controllers' children are trusted by matchConditions")
                .containsExactly(1, 0, 0);
        assertNoFailedCreates(ENFORCE);
    }

    @Test
    void aCompliantCronJobGetsItsJobAndPodFromTheControllers() {
        await("a Job of CronJob every-minute", Duration.ofMinutes(2))
                .until(() -> kubectl.ok("get", "jobs", "-n", CRON, "-o",
                        "jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}{\"\\n\"}{end}"),
                        jobs -> jobs.startsWith("CronJob/every-minute\n"));
        String job = kubectl.ok("get", "jobs", "-n", CRON, "-o", "jsonpath={.items[0].metadata.name}");
        awaitPods(CRON, "job-name=" + job, 1);

        assertThat(cluster.creators("jobs", CRON)).isNotEmpty().containsOnly(CONTROLLER + "cronjob-controller");
        assertThat(cluster.creators("pods", CRON)).isNotEmpty().containsOnly(CONTROLLER + "job-controller");
        assertNoFailedCreates(CRON);
    }

    @Test
    void aLegacyDeploymentCanBeScaledAndRestartedAfterTheNamespaceIsTightened() {
        Path file = fixtures.manifest("tighten-legacy.yaml", Manifests.deployment(TIGHTEN, "legacy", Manifests.plainPodSpec("Always", "nginx:1.25")));
        Kubectl.Result created = kubectl.run("apply", "-f", file.toString());
        assertThat(created.stdoutLines()).as(created.describe()).containsExactly("deployment.apps/legacy created");
        awaitPods(TIGHTEN, "app=legacy", 1);
        enforce(TIGHTEN);

        Kubectl.Result scaled = kubectl.run("scale", "deployment/legacy", "-n", TIGHTEN, "--replicas=3");

        assertThat(scaled.stdoutLines()).as(scaled.describe()).containsExactly("deployment.apps/legacy scaled");
        awaitPods(TIGHTEN, "app=legacy", 3);

        Kubectl.Result restarted = kubectl.run("rollout", "restart", "deployment/legacy", "-n", TIGHTEN);

        assertThat(restarted.stdoutLines()).as(restarted.describe()).containsExactly("deployment.apps/legacy restarted");
        // revision 2 surges by one Pod (maxSurge 25% of 3); revision 1 keeps its 3 since no Pod ever becomes ready
        await("a second ReplicaSet of legacy with its Pod", Duration.ofMinutes(1))
                .until(() -> replicaSets(TIGHTEN, "app=legacy"), sets -> sets.equals(List.of("1=3", "2=1")));
        awaitPods(TIGHTEN, "app=legacy", 4);
        assertNoFailedCreates(TIGHTEN);
    }

    @Test
    @OldestKubernetes
    void aReplicaSetOrPodWithAForgedControllerOwnerIsJudgedInFull() {
        kubectl.runWithInput(Manifests.deployment(FORGED, "owner", Manifests.hardenedPodSpec("Always")), "apply", "-f", "-");
        awaitPods(FORGED, "app=owner", 1);
        String deploymentUid = kubectl.ok("get", "deployment", "owner", "-n", FORGED, "-o", "jsonpath={.metadata.uid}");
        String replicaSet = kubectl.ok("get", "replicasets", "-n", FORGED, "-l", "app=owner", "-o", "jsonpath={.items[0].metadata.name}");
        String replicaSetUid = kubectl.ok("get", "replicaset", replicaSet, "-n", FORGED, "-o", "jsonpath={.metadata.uid}");
        Path forgedReplicaSet = fixtures.manifest("forged-replicaset.yaml", Manifests.ownedBy(
                Manifests.replicaSet(FORGED, "forged", Manifests.plainPodSpec("Always", "nginx:1.25")),
                "apps/v1", "Deployment", "owner", deploymentUid));
        Path forgedPod = fixtures.manifest("forged-pod.yaml", Manifests.ownedBy(
                Manifests.pod(FORGED, "forged", Manifests.plainPodSpec("Always", "nginx:1.25")),
                "apps/v1", "ReplicaSet", replicaSet, replicaSetUid));

        Kubectl.Result replicaSetResult = kubectl.run("create", "-f", forgedReplicaSet.toString());
        Kubectl.Result podResult = kubectl.run("create", "-f", forgedPod.toString());

        WebhookIT.assertDenied(replicaSetResult, "creating", forgedReplicaSet, "ReplicaSet \"forged\"", FORGED + "/strict",
                "spec.template.spec.containers[0]");
        WebhookIT.assertDenied(podResult, "creating", forgedPod, "Pod \"forged\"", FORGED + "/strict", "spec.containers[0]");
        assertThat(kubectl.ok("get", "replicasets,pods", "-n", FORGED, "-o", "name"))
                .doesNotContain("replicaset.apps/forged\n").doesNotContain("pod/forged\n");
    }

    @Test
    void aForgedMirrorPodIsDeniedWithTheReasonItIsNotTrusted() {
        Path file = fixtures.manifest("forged-mirror.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: mirror
                  namespace: %s
                  annotations: {kubernetes.io/config.mirror: forged}
                spec:
                  nodeName: node-1
                  containers:
                  - name: app
                    image: %s
                    securityContext: {privileged: true}
                    volumeMounts: [{name: root, mountPath: /host}]
                  volumes:
                  - name: root
                    hostPath: {path: /}
                """.formatted(ENFORCE, Manifests.PINNED));

        Kubectl.Result result = kubectl.run("create", "-f", file.toString());

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderrLines()).as(result.describe())
                .anySatisfy(line -> assertThat(line).startsWith("Error from server (Forbidden): error when creating \"" + file
                        + "\": " + DENIED + "Pod \"mirror\" violates HardeningPolicy \"" + ENFORCE + "/strict\""))
                .anySatisfy(line -> assertThat(line).startsWith("- [no-privileged] container \"app\": "))
                .anySatisfy(line -> assertThat(line).startsWith("- [no-host-path] "))
                .noneSatisfy(line -> assertThat(line).contains("not enforced"))
                .last().isEqualTo("The annotation kubernetes.io/config.mirror is reserved for the kubelet: only the Pod's own "
                        + "node (user system:node:<spec.nodeName>) may create mirror pods, so from anyone else it exempts nothing.");
        assertThat(kubectl.run("get", "pod", "mirror", "-n", ENFORCE).stderr()).startsWith("Error from server (NotFound): ");
    }

    @Test
    void zeroLimitsAreNoLimitsAndAreDenied() {
        Path file = fixtures.manifest("zero-limits.yaml", Manifests.pod(ENFORCE, "zero",
                Manifests.hardenedPodSpec("Always").replace("requests: {cpu: 100m, memory: 64Mi}\n", "")
                        .replace("limits: {cpu: 500m, memory: 128Mi}", "limits: {cpu: \"0\", memory: 0Mi}")));

        Kubectl.Result result = kubectl.run("create", "-f", file.toString());

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderrLines()).as(result.describe()).containsExactly(
                "Error from server (Forbidden): error when creating \"" + file + "\": " + DENIED
                        + "Pod \"zero\" violates HardeningPolicy \"" + ENFORCE + "/strict\" (2 problems):",
                "- [resource-limits] container \"app\": spec.containers[0].resources.limits.cpu is 0, which means no limit; "
                        + "set spec.containers[0].resources.limits.cpu, e.g. to 500m",
                "- [resource-limits] container \"app\": spec.containers[0].resources.limits.memory is 0, which means no limit; "
                        + "set spec.containers[0].resources.limits.memory, e.g. to 256Mi");
    }

    @Test
    void aLegacyViolationCannotGrowWhileTheUnchangedObjectCanStillBeLabelled() {
        String secretEnv = "DB_PASSWORD";
        Path file = fixtures.manifest("ratchet-legacy.yaml", Manifests.deployment(RATCHET, "legacy", """
                restartPolicy: Always
                containers:
                - name: app
                  image: nginx:1.25
                  env: [{name: %s, value: hunter2-legacy}]
                  volumeMounts: [{name: logs, mountPath: /var/log/app}]
                volumes:
                - name: logs
                  hostPath: {path: /var/log/app}
                """.formatted(secretEnv)));
        assertThat(kubectl.run("apply", "-f", file.toString()).stdoutLines()).containsExactly("deployment.apps/legacy created");
        enforce(RATCHET);

        Kubectl.Result labelled = kubectl.run("label", "deployment", "legacy", "-n", RATCHET, "tier=web");
        Kubectl.Result wholeNode = kubectl.run("patch", "deployment", "legacy", "-n", RATCHET, "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/volumes/0/hostPath/path\",\"value\":\"/\"}]");
        Kubectl.Result root = kubectl.run("patch", "deployment", "legacy", "-n", RATCHET, "--type=strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"securityContext\":{\"runAsUser\":0}}]}}}}");
        Kubectl.Result secondSecret = kubectl.run("set", "env", "deployment/legacy", "-n", RATCHET, "API_TOKEN=s3cr3t-new");

        assertThat(labelled.exitCode()).as(labelled.describe()).isZero();
        assertThat(labelled.stdoutLines()).as(labelled.describe()).containsExactly("deployment.apps/legacy labeled");
        assertThat(labelled.stderrLines()).as(labelled.describe())
                .allSatisfy(line -> assertThat(line).startsWith("Warning: [").endsWith("(already present; enforced once changed)"));
        assertEscalationDenied(wholeNode, "- [no-host-path] ");
        assertEscalationDenied(root, "- [run-as-non-root] container \"app\": ");
        assertEscalationDenied(secondSecret, "- [no-plaintext-secrets] container \"app\": ");
        assertThat(secondSecret.stderr()).as("a secret value is never echoed").doesNotContain("s3cr3t-new");
        assertThat(kubectl.ok("get", "deployment", "legacy", "-n", RATCHET, "-o",
                "jsonpath={.spec.template.spec.volumes[0].hostPath.path} {.spec.template.spec.containers[0].securityContext} "
                        + "{.spec.template.spec.containers[0].env[*].name} {.metadata.labels.tier}"))
                .isEqualTo("/var/log/app  " + secretEnv + " web");
    }

    private static void assertEscalationDenied(Kubectl.Result result, String problem) {
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).as(result.describe())
                .contains(DENIED + "Deployment \"legacy\" violates HardeningPolicy \"" + RATCHET + "/gate\"");
        assertThat(result.stderrLines()).as(result.describe()).anySatisfy(line -> assertThat(line).startsWith(problem));
    }

    private static void enforce(String namespace) {
        kubectl.ok("patch", "hardeningpolicy", "gate", "-n", namespace, "--type=merge", "-p", "{\"spec\":{\"mode\":\"Enforce\"}}");
        fixtures.awaitPolicyReady(namespace, "gate");
    }

    /** Webhook calls so far for Deployments, ReplicaSets and Pods. */
    private static long[] webhookCalls() {
        return new long[]{operator.admissionRequests("Deployment"), operator.admissionRequests("ReplicaSet"),
                operator.admissionRequests("Pod")};
    }

    private static void awaitPods(String namespace, String selector, int count) {
        Workloads.awaitPods(kubectl, namespace, selector, count);
    }

    private static List<String> replicaSets(String namespace, String selector) {
        return Workloads.replicaSets(kubectl, namespace, selector);
    }

    private static void assertNoFailedCreates(String namespace) {
        Workloads.assertNoFailedCreates(kubectl, namespace);
    }

    private static ConditionFactory await(String what, Duration atMost) {
        return Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(500));
    }
}

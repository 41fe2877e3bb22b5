package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kube-apiserver stopped for 30 seconds and started again with the same flags, under an operator running with
 * exactly the chart's RBAC and settings: the same process keeps serving from its policy index through the outage
 * (longer than its Lease, which it loses), answers the API server's admissions right after, follows a policy change
 * made after the restart, and writes status again once it has won the Lease back. Then etcd is stopped for 20 seconds
 * (the API server stays up, nothing can be stored): the same process answers throughout and after.
 */
@EndToEnd
class ApiServerOutageIT {

    static final String NS = "hardening-outage";
    static final String APP = "e2e-outage";
    static final Duration OUTAGE = Duration.ofSeconds(30);
    static final Duration ETCD_OUTAGE = Duration.ofSeconds(20);

    @Test
    void theSameProcessServesThroughApiServerAndEtcdOutagesAndCatchesUpAfterThem(EndToEnd.E2e e2e) throws IOException, InterruptedException {
        ControlPlane cluster = e2e.cluster();
        Kubectl kubectl = e2e.kubectl();
        Fixtures fixtures = e2e.fixtures();
        String plain = Manifests.pod(APP, "plain", Manifests.plainPodSpec("Always", "nginx:1.25"));
        try (ChartRelease chart = ChartRelease.install(cluster, "outage", NS);
             OperatorProcess operator = OperatorProcess.start(cluster, "outage-operator",
                     chart.serviceAccountKubeconfig("outage-operator"), chart.settings())) {
            fixtures.namespace(APP);
            fixtures.apply(Fixtures.policy(APP, "gate", "Hardened", "Enforce"));
            fixtures.awaitPolicyReady(APP, "gate");
            awaitThroughApiServer(kubectl, plain, "the API server calls the webhook", r -> r.stderr().contains(WebhookIT.DENIED));
            long pid = operator.pid();
            // readiness is what admission needs, not leader work (the operator SDK's controllers): so it holds below;
            // Quarkus's shutdown-delay check is down only from SIGTERM on, so the Service stops routing before the port closes
            assertThat(operator.readinessChecks()).containsExactlyInAnyOrder("webhook", "policy-index", "Graceful Shutdown");

            cluster.stopApiserver();
            try {
                // longer than the Lease: the operator loses it, and must keep answering from what it knows, and stay
                // ready (a kubelet would otherwise take it out of the Service the moment the API server is back)
                Awaitility.await("the webhook answering while kube-apiserver is down")
                        .during(OUTAGE).atMost(OUTAGE.plusSeconds(15)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> operator.alive() && operator.ready()
                                && !WebhookProbe.allows("127.0.0.1", operator.webhookPort(), plain));
            } finally {
                cluster.startApiserver();
            }
            assertThat(Files.readString(operator.log())).as("the outage took the Lease away (operator log)")
                    .contains("not leading: leader work stopped");

            awaitThroughApiServer(kubectl, plain, "a denial through the API server right after its restart",
                    r -> r.exitCode() != 0 && r.stderr().contains(WebhookIT.DENIED + "Pod \"plain\" violates HardeningPolicy \"" + APP + "/gate\""));

            kubectl.ok("patch", "hardeningpolicy", "gate", "-n", APP, "--type=merge", "-p", "{\"spec\":{\"mode\":\"Warn\"}}");
            Kubectl.Result warned = Awaitility.await("the policy change made after the restart in force")
                    .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.runWithInput(plain, "create", "--dry-run=server", "-f", "-"), r -> r.exitCode() == 0);
            assertThat(warned.stderr()).as(warned.describe()).contains("Warning: [image-digest] container \"app\": ");
            // the Lease won back: status written for the new generation
            fixtures.awaitPolicyReady(APP, "gate");

            // etcd away for longer than the Lease: the API server stays up but can store nothing
            kubectl.ok("patch", "hardeningpolicy", "gate", "-n", APP, "--type=merge", "-p", "{\"spec\":{\"mode\":\"Enforce\"}}");
            awaitThroughApiServer(kubectl, plain, "Enforce again before etcd stops",
                    r -> r.exitCode() != 0 && r.stderr().contains(WebhookIT.DENIED));
            cluster.stopEtcd();
            try {
                Awaitility.await("the webhook answering while etcd is down")
                        .during(ETCD_OUTAGE).atMost(ETCD_OUTAGE.plusSeconds(15)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> operator.alive() && operator.ready()
                                && !WebhookProbe.allows("127.0.0.1", operator.webhookPort(), plain));
            } finally {
                cluster.startEtcd();
            }
            awaitThroughApiServer(kubectl, plain, "a denial through the API server after etcd is back",
                    r -> r.exitCode() != 0 && r.stderr().contains(WebhookIT.DENIED + "Pod \"plain\" violates HardeningPolicy \"" + APP + "/gate\""));
            fixtures.awaitPolicyReady(APP, "gate");

            assertThat(operator.alive()).isTrue();
            assertThat(operator.pid()).as("the same operator process, never restarted").isEqualTo(pid);
        } finally {
            kubectl.run("delete", "namespace", APP, "--wait=false");
        }
    }

    private static void awaitThroughApiServer(Kubectl kubectl, String pod, String what,
                                              java.util.function.Predicate<Kubectl.Result> answered) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.runWithInput(pod, "create", "--dry-run=server", "-f", "-"), answered);
    }
}

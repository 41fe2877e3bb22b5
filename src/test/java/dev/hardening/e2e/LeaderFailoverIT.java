package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas as the chart installs them (its ServiceAccount and RBAC, its settings, its Service; the API server
 * spreads its calls over both endpoints and verifies the certificate for the Service's name). The leader is
 * SIGKILLed while admissions go through the API server without pause: none fails because of the failover (only
 * what the dead process had in flight, or was dialed for before its endpoint was withdrawn, is lost with it), and
 * the other replica takes the Lease over and writes status.
 */
@EndToEnd
class LeaderFailoverIT {

    static final String NS = "hardening-failover";
    static final String APP = "e2e-failover";
    static final String LATE = "e2e-failover-late";
    /** The Lease (15 s) runs out, the survivor's next attempt (every 2 s, jittered up to 4.4 s) takes it. */
    static final Duration TAKEOVER = Duration.ofSeconds(15 + 5 + 10);
    /** From the EndpointSlice write to kube-apiserver's own EndpointSlice informer, which picks the endpoint. */
    static final Duration PROPAGATION = Duration.ofSeconds(1);

    @Test
    @OldestKubernetes
    void killingTheLeaderFailsNoAdmissionAndTheOtherReplicaTakesOver(EndToEnd.E2e e2e) {
        ControlPlane cluster = e2e.cluster();
        Kubectl kubectl = e2e.kubectl();
        Fixtures fixtures = e2e.fixtures();
        String plain = Manifests.pod(APP, "plain", Manifests.plainPodSpec("Always", "nginx:1.25"));
        String hardened = Manifests.pod(APP, "hardened", Manifests.hardenedPodSpec("Always"));
        try (ChartRelease chart = ChartRelease.install(cluster, "failover", NS);
             Replicas replicas = Replicas.start(cluster, chart, "failover", 2)) {
            assertThat(kubectl.ok("get", "validatingwebhookconfiguration", OperatorProcess.CONFIGURATION, "-o",
                    "jsonpath={.webhooks[0].clientConfig.service.namespace}/{.webhooks[0].clientConfig.service.name}"
                            + "/{.webhooks[0].clientConfig.url}"))
                    .as("the chart's Service, not a URL").isEqualTo(NS + "/" + Replicas.SERVICE + "/");
            fixtures.namespace(APP);
            fixtures.namespace(LATE);
            fixtures.apply(Fixtures.policy(APP, "gate", "Hardened", "Enforce"));
            fixtures.awaitPolicyReady(APP, "gate");

            // through the Service's endpoints; the API server keeps its connection to one replica while it lasts,
            // as with a Pod IP in a cluster
            Awaitility.await("the API server calling the webhook").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.runWithInput(plain, "create", "--dry-run=server", "-f", "-").stderr()
                            .contains(WebhookIT.DENIED));
            int leader = Awaitility.await("a leader").atMost(Duration.ofSeconds(30))
                    .until(replicas::leader, Optional::isPresent).get();
            int survivor = 1 - leader;
            long survivorPid = replicas.process(survivor).pid();

            long survivorDenialsBefore = denials(replicas.process(survivor));
            long leaderDenialsBefore = denials(replicas.process(leader));
            try (AdmissionDriver driver = new AdmissionDriver(kubectl, hardened, plain,
                    "Pod \"plain\" violates HardeningPolicy \"" + APP + "/gate\"").start()) {
                Awaitility.await("admissions before the kill").atMost(Duration.ofSeconds(30))
                        .until(() -> driver.answers().size() >= 6);
                // the API server keeps one connection while it is used: to the leader or to the other replica
                boolean connectedToTheLeader = denials(replicas.process(leader)) > leaderDenialsBefore;
                Instant killed = Instant.now();
                replicas.kill(leader);

                // a policy created after the kill: only a leader writes its status
                fixtures.apply(Fixtures.policy(LATE, "late", "Baseline", "Warn"));
                Awaitility.await("the other replica holding the Lease").atMost(TAKEOVER).pollInterval(Duration.ofMillis(250))
                        .until(replicas::leader, l -> l.equals(Optional.of(survivor)));
                fixtures.awaitPolicyReady(LATE, "late");
                Awaitility.await("admissions after the takeover").atMost(Duration.ofSeconds(30))
                        .until(() -> driver.answersAfter(Instant.now().minusSeconds(2)).size() >= 4);
                driver.close();

                List<AdmissionDriver.Answer> during = driver.answersAfter(killed);
                assertThat(during).as("admissions from the kill to the end").hasSizeGreaterThan(10);
                // A SIGKILLed process cannot answer: an admission it had in flight fails, and so does one the API server
                // dials it for before the harness (as kubelet and EndpointSlice controller) withdrew its endpoint, as
                // in a cluster until the kubelet reports the container dead. Nothing else may fail: not the takeover,
                // not the leaderless seconds before it.
                Instant withdrawn = replicas.withdrawn(leader).orElseThrow();
                List<AdmissionDriver.Answer> lostWithTheProcess = driver.answers().stream()
                        .filter(a -> !a.asExpected() && a.detail().contains("failed calling webhook \"validate.hardening.dev\"")
                                && !a.at().isBefore(killed) && a.sent().isBefore(withdrawn.plus(PROPAGATION)))
                        .toList();
                System.err.printf("[e2e] failover: API server connected to the %s; %d admissions, %d after the kill; "
                                + "endpoint withdrawn %d ms after the kill; %d lost with the killed process: %s%n",
                        connectedToTheLeader ? "leader" : "other replica", driver.answers().size(), during.size(),
                        Duration.between(killed, withdrawn).toMillis(), lostWithTheProcess.size(),
                        lostWithTheProcess.stream().map(AdmissionDriver.Answer::detail).toList());
                assertThat(driver.answers()).as("every admission answered as expected")
                        .filteredOn(a -> !lostWithTheProcess.contains(a))
                        .allSatisfy(a -> assertThat(a.asExpected()).as(a.toString()).isTrue());
            }
            assertThat(denials(replicas.process(survivor))).as("admissions answered by the survivor after the kill")
                    .isGreaterThan(survivorDenialsBefore);
            assertThat(replicas.process(survivor).pid()).isEqualTo(survivorPid);
            assertThat(replicas.process(survivor).alive()).isTrue();
        } finally {
            kubectl.run("delete", "namespace", APP, LATE, "--wait=false");
        }
    }

    /** Denials a replica logged (one line each). */
    private static long denials(OperatorProcess replica) {
        try (var lines = Files.lines(replica.log())) {
            return lines.filter(l -> l.contains("denied uid=")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

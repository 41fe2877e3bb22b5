package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replicas have addresses of their own, as Pods do, and nothing of the project touches this machine's own
 * external address: the API server reaches each replica in its network namespace through the cluster network, the
 * EndpointSlices name those addresses, and no socket of the control plane or of a replica is bound or connected to
 * an external address (docs/development.md, "What is real and what is simulated").
 */
@EndToEnd
class NetworkIsolationIT {

    static final String NS = "hardening-netns";
    static final String APP = "e2e-netns";

    @Test
    void replicasServeOnTheirOwnAddressesAndNothingUsesTheExternalOne(EndToEnd.E2e e2e) {
        ControlPlane cluster = e2e.cluster();
        Kubectl kubectl = e2e.kubectl();
        Fixtures fixtures = e2e.fixtures();
        String plain = Manifests.pod(APP, "plain", Manifests.plainPodSpec("Always", "nginx:1.25"));
        List<String> external = ControlPlane.externalAddresses();
        List<String> namespaces = new ArrayList<>();
        try (ChartRelease chart = ChartRelease.install(cluster, "netns", NS);
             Replicas replicas = Replicas.start(cluster, chart, "netns", 2)) {
            fixtures.namespace(APP);
            fixtures.apply(Fixtures.policy(APP, "gate", "Hardened", "Enforce"));
            fixtures.awaitPolicyReady(APP, "gate");
            Awaitility.await("the API server calling the webhook").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.runWithInput(plain, "create", "--dry-run=server", "-f", "-").stderr()
                            .contains(WebhookIT.DENIED));

            List<String> addresses = List.of(replicas.address(0), replicas.address(1));
            namespaces.addAll(List.of(replicas.netns(0), replicas.netns(1)));
            String subnet = cluster.hostAddress().substring(0, cluster.hostAddress().lastIndexOf('.') + 1);
            assertThat(addresses).as("each replica its own address on the cluster network")
                    .doesNotHaveDuplicates().allMatch(a -> a.startsWith(subnet)).doesNotContainAnyElementsOf(external);
            assertThat(kubectl.ok("get", "endpointslices", "-n", NS, "-l", "kubernetes.io/service-name=" + Replicas.SERVICE,
                    "-o", "jsonpath={range .items[*]}{.endpoints[0].addresses[0]} {end}").trim().split(" "))
                    .as("the Service's EndpointSlices name the replicas' own addresses")
                    .containsExactlyInAnyOrderElementsOf(addresses);

            for (int i = 0; i < 2; i++) {
                List<SocketAudit> sockets = SocketAudit.of(replicas.process(i).pid());
                assertThat(sockets.stream().filter(SocketAudit::listening).map(SocketAudit::local).distinct().toList())
                        .as("replica %d listens on its own address only", i).containsExactly(addresses.get(i));
                assertThat(sockets).as("replica %d's connections (to the API server at the bridge)", i)
                        .filteredOn(s -> !s.listening() && s.remotePort() != Replicas.WEBHOOK_PORT
                                && s.remotePort() != Replicas.MANAGEMENT_PORT && s.localPort() != Replicas.WEBHOOK_PORT
                                && s.localPort() != Replicas.MANAGEMENT_PORT)
                        .isNotEmpty().allMatch(s -> s.remote().equals(cluster.hostAddress()));
            }
            List<SocketAudit> controlPlane = new ArrayList<>();
            cluster.pids().forEach(pid -> controlPlane.addAll(SocketAudit.of(pid)));
            assertThat(controlPlane).as("no control-plane socket on this machine's external address %s", external)
                    .isNotEmpty().noneMatch(s -> s.uses(external));
            assertThat(controlPlane).as("the API server calls the webhook at a replica's own address")
                    .anyMatch(s -> !s.listening() && addresses.contains(s.remote()) && s.remotePort() == Replicas.WEBHOOK_PORT);
        }
        assertThat(Kubectl.exec(List.of("ip", "netns", "list"), null, java.util.Map.of()).stdout())
                .as("the replicas' network namespaces are removed with them").doesNotContain(namespaces);
    }
}

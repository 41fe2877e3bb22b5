package dev.hardening.e2e;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the workload controllers made of a workload, as kubectl shows it to its owner. */
final class Workloads {

    private Workloads() {
    }

    /** Waits for exactly {@code count} Pods (Pending: the test cluster has no kubelet) that {@code selector} selects. */
    static void awaitPods(Kubectl kubectl, String namespace, String selector, int count) {
        Awaitility.await(count + " Pending Pods " + selector + " in " + namespace).atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.ok("get", "pods", "-n", namespace, "-l", selector, "-o", "jsonpath={.items[*].status.phase}"),
                        phases -> phases.equals(String.join(" ", Collections.nCopies(count, "Pending"))));
    }

    /** {@code <revision>=<replicas>} of each ReplicaSet that {@code selector} selects, by revision. */
    static List<String> replicaSets(Kubectl kubectl, String namespace, String selector) {
        String lines = kubectl.ok("get", "replicasets", "-n", namespace, "-l", selector, "-o",
                "jsonpath={range .items[*]}{.metadata.annotations.deployment\\.kubernetes\\.io/revision}={.status.replicas}{\"\\n\"}{end}");
        return Arrays.stream(lines.split("\n")).filter(line -> !line.isEmpty()).sorted().toList();
    }

    /** What a refused controller create looks like to a user: FailedCreate / ReplicaSetCreateError events. */
    static void assertNoFailedCreates(Kubectl kubectl, String namespace) {
        String events = kubectl.ok("get", "events", "-n", namespace, "-o",
                "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}");
        assertThat(events).doesNotContain("FailedCreate").doesNotContain("ReplicaSetCreateError");
    }
}

package dev.hardening.rules;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The owner table that admission (webhook and matchCondition) and the audit share. */
class WorkloadKindTest {

    @Test
    void builtInControllersDeriveTheseKindsFromTheseOwners() {
        Map<WorkloadKind, List<WorkloadKind>> owners = new EnumMap<>(WorkloadKind.class);
        for (WorkloadKind kind : WorkloadKind.values()) {
            if (!kind.controllerOwners().isEmpty()) {
                owners.put(kind, kind.controllerOwners());
            }
        }

        assertThat(owners).containsExactly(
                Map.entry(WorkloadKind.POD, List.of(WorkloadKind.REPLICA_SET, WorkloadKind.STATEFUL_SET,
                        WorkloadKind.DAEMON_SET, WorkloadKind.JOB, WorkloadKind.REPLICATION_CONTROLLER)),
                Map.entry(WorkloadKind.REPLICA_SET, List.of(WorkloadKind.DEPLOYMENT)),
                Map.entry(WorkloadKind.JOB, List.of(WorkloadKind.CRON_JOB)));
    }

    @Test
    void anOwnerMatchesByKindAndApiGroup() {
        assertThat(WorkloadKind.POD.controllerOwner("apps/v1", "ReplicaSet")).isTrue();
        assertThat(WorkloadKind.POD.controllerOwner("v1", "ReplicationController")).isTrue();
        assertThat(WorkloadKind.POD.controllerOwner("batch/v1", "Job")).isTrue();
        assertThat(WorkloadKind.JOB.controllerOwner("batch/v1", "CronJob")).isTrue();
        assertThat(WorkloadKind.POD.controllerOwner("extensions/v1beta1", "ReplicaSet")).isFalse();
        assertThat(WorkloadKind.POD.controllerOwner("apps/v1", "ReplicationController")).isFalse();
        assertThat(WorkloadKind.POD.controllerOwner("v1", "Job")).isFalse();
        assertThat(WorkloadKind.POD.controllerOwner("apps/v1", "Deployment")).isFalse();
        assertThat(WorkloadKind.DEPLOYMENT.controllerOwner("apps/v1", "Deployment")).isFalse();
        assertThat(WorkloadKind.POD.controllerOwner(null, "ReplicaSet")).isFalse();
        assertThat(WorkloadKind.POD.controllerOwner("apps/v1", null)).isFalse();
    }
}

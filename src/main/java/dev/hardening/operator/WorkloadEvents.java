package dev.hardening.operator;

import dev.hardening.operator.audit.NamespaceAudit;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Watcher;

/**
 * Which watch events can change what the audit finds: not bookmarks or errors; every NetworkPolicy change (kind null:
 * it changes the coverage of the namespace's workloads); for a workload, not objects controlled by an audited workload
 * (the audit skips them too), not status-only updates.
 */
final class WorkloadEvents {

    private WorkloadEvents() {
    }

    static boolean mayChangeAudit(/* null for a NetworkPolicy */ WorkloadKind kind, Watcher.Action action, HasMetadata object) {
        return action != Watcher.Action.BOOKMARK && action != Watcher.Action.ERROR && object.getMetadata() != null
                && object.getMetadata().getNamespace() != null
                && (kind == null || !NamespaceAudit.controlledByAuditedWorkload(kind, object)
                && (action != Watcher.Action.MODIFIED || specMayHaveChanged(kind, object)));
    }

    /**
     * Pod updates are mostly status; a workload controller's status update has caught up with its generation.
     * Others (Jobs, CronJobs, PodTemplates) count: rare, and bounded by the debounce anyway.
     */
    static boolean specMayHaveChanged(WorkloadKind kind, HasMetadata object) {
        if (kind == WorkloadKind.POD) {
            return false;
        }
        Long generation = object.getMetadata().getGeneration();
        Long observed = switch (kind) {
            case DEPLOYMENT -> ((io.fabric8.kubernetes.api.model.apps.Deployment) object).getStatus() == null ? null
                    : ((io.fabric8.kubernetes.api.model.apps.Deployment) object).getStatus().getObservedGeneration();
            case STATEFUL_SET -> ((io.fabric8.kubernetes.api.model.apps.StatefulSet) object).getStatus() == null ? null
                    : ((io.fabric8.kubernetes.api.model.apps.StatefulSet) object).getStatus().getObservedGeneration();
            case DAEMON_SET -> ((io.fabric8.kubernetes.api.model.apps.DaemonSet) object).getStatus() == null ? null
                    : ((io.fabric8.kubernetes.api.model.apps.DaemonSet) object).getStatus().getObservedGeneration();
            case REPLICA_SET -> ((io.fabric8.kubernetes.api.model.apps.ReplicaSet) object).getStatus() == null ? null
                    : ((io.fabric8.kubernetes.api.model.apps.ReplicaSet) object).getStatus().getObservedGeneration();
            default -> null;
        };
        return observed == null || generation == null || observed < generation;
    }
}

package dev.hardening.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of object admission judges: those that carry a pod spec, with where the spec sits inside it, and
 * Services (what they expose). The webhook's registration, the CLI and the audit all derive from this list.
 */
public enum WorkloadKind {
    POD("Pod", "", "pods", Pod.class, "", o -> new PodTemplateSpec(((Pod) o).getMetadata(), ((Pod) o).getSpec())),
    DEPLOYMENT("Deployment", "apps", "deployments", Deployment.class, "spec.template.",
            o -> ((Deployment) o).getSpec() == null ? null : ((Deployment) o).getSpec().getTemplate()),
    REPLICA_SET("ReplicaSet", "apps", "replicasets", ReplicaSet.class, "spec.template.",
            o -> ((ReplicaSet) o).getSpec() == null ? null : ((ReplicaSet) o).getSpec().getTemplate()),
    STATEFUL_SET("StatefulSet", "apps", "statefulsets", StatefulSet.class, "spec.template.",
            o -> ((StatefulSet) o).getSpec() == null ? null : ((StatefulSet) o).getSpec().getTemplate()),
    DAEMON_SET("DaemonSet", "apps", "daemonsets", DaemonSet.class, "spec.template.",
            o -> ((DaemonSet) o).getSpec() == null ? null : ((DaemonSet) o).getSpec().getTemplate()),
    JOB("Job", "batch", "jobs", Job.class, "spec.template.",
            o -> ((Job) o).getSpec() == null ? null : ((Job) o).getSpec().getTemplate()),
    CRON_JOB("CronJob", "batch", "cronjobs", CronJob.class, "spec.jobTemplate.spec.template.", WorkloadKind::cronJobTemplate),
    REPLICATION_CONTROLLER("ReplicationController", "", "replicationcontrollers", ReplicationController.class, "spec.template.",
            o -> ((ReplicationController) o).getSpec() == null ? null : ((ReplicationController) o).getSpec().getTemplate()),
    POD_TEMPLATE("PodTemplate", "", "podtemplates", PodTemplate.class, "template.", o -> ((PodTemplate) o).getTemplate()),
    /** No pod spec: the network rules judge what it exposes ({@link ServiceTarget}). */
    SERVICE("Service", "", "services", Service.class, null, null);

    private static final Map<String, WorkloadKind> BY_KIND = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(WorkloadKind::kind, k -> k));
    private static final Map<String, WorkloadKind> BY_RESOURCE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(k -> k.group + "/" + k.resource, k -> k));

    /**
     * The owners whose built-in controller (kube-controller-manager) creates objects of a kind from its own pod
     * template: a Deployment its ReplicaSets; a ReplicaSet, StatefulSet, DaemonSet, Job or ReplicationController
     * its Pods; a CronJob its Jobs. Admission trusts what these derive and the audit skips it, both from this table.
     */
    private static final Map<WorkloadKind, List<WorkloadKind>> CONTROLLER_OWNERS = Map.of(
            REPLICA_SET, List.of(DEPLOYMENT),
            POD, List.of(REPLICA_SET, STATEFUL_SET, DAEMON_SET, JOB, REPLICATION_CONTROLLER),
            JOB, List.of(CRON_JOB));

    private final String kind;
    private final String group;
    private final String resource;
    private final Class<? extends HasMetadata> modelClass;
    private final String templatePrefix;
    private final Function<HasMetadata, PodTemplateSpec> template;

    WorkloadKind(String kind, String group, String resource, Class<? extends HasMetadata> modelClass,
                 String templatePrefix, Function<HasMetadata, PodTemplateSpec> template) {
        this.kind = kind;
        this.group = group;
        this.resource = resource;
        this.modelClass = modelClass;
        this.templatePrefix = templatePrefix;
        this.template = template;
    }

    public String kind() {
        return kind;
    }

    /** API group, empty for the core group. */
    public String group() {
        return group;
    }

    /** Plural resource name as the API server names it in an AdmissionReview. */
    public String resource() {
        return resource;
    }

    public Class<? extends HasMetadata> modelClass() {
        return modelClass;
    }

    /** What the rules judge in an object of this kind. */
    public Target.Type targetType() {
        return template == null ? Target.Type.SERVICE : Target.Type.POD_SPEC;
    }

    /** The object located for the rules of {@link #targetType()}; {@code object} must be of {@link #modelClass()}. */
    public Target target(HasMetadata object) {
        return target(object, null);
    }

    /** As {@link #target(HasMetadata)}, keeping {@code source}, the JSON tree the object was read from. */
    public Target target(HasMetadata object, JsonNode source) {
        return template == null ? ServiceTarget.of(object, source) : PodTarget.of(this, object, source);
    }

    /** Path of the pod spec inside the object, e.g. {@code spec.template.spec}. */
    public String specPath() {
        return templatePrefix + "spec";
    }

    /** Path of the pod metadata inside the object, e.g. {@code spec.template.metadata}. */
    public String metadataPath() {
        return templatePrefix + "metadata";
    }

    /** Jobs run to completion: rules about long-running workloads (probes) do not apply to them. */
    public boolean runsToCompletion() {
        return this == JOB || this == CRON_JOB;
    }

    /** The kinds whose built-in controller creates objects of this kind (see {@link #CONTROLLER_OWNERS}); often none. */
    public List<WorkloadKind> controllerOwners() {
        return CONTROLLER_OWNERS.getOrDefault(this, List.of());
    }

    /**
     * Whether an owner reference's {@code apiVersion} and {@code kind} name one of {@link #controllerOwners()}:
     * the kind and its API group must both match ({@code apps/v1} ReplicaSet, {@code v1} ReplicationController).
     */
    public boolean controllerOwner(String ownerApiVersion, String ownerKind) {
        if (ownerApiVersion == null || ownerKind == null) {
            return false;
        }
        int slash = ownerApiVersion.indexOf('/');
        String ownerGroup = slash < 0 ? "" : ownerApiVersion.substring(0, slash);
        for (WorkloadKind owner : controllerOwners()) {
            if (owner.kind.equals(ownerKind) && owner.group.equals(ownerGroup)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code owners} holds a {@code controller: true} reference to one of {@link #controllerOwners()}: the
     * object is (or claims to be) derived by that owner's controller from a template that was judged itself.
     */
    public boolean controlledByOwnerOfTemplate(List<OwnerReference> owners) {
        if (owners == null) {
            return false;
        }
        for (OwnerReference owner : owners) {
            if (owner != null && Boolean.TRUE.equals(owner.getController())
                    && controllerOwner(owner.getApiVersion(), owner.getKind())) {
                return true;
            }
        }
        return false;
    }

    public static Optional<WorkloadKind> ofKind(String kind) {
        return Optional.ofNullable(BY_KIND.get(kind));
    }

    public static Optional<WorkloadKind> ofResource(String group, String resource) {
        return Optional.ofNullable(BY_RESOURCE.get((group == null ? "" : group) + "/" + resource));
    }

    PodTemplateSpec templateOf(HasMetadata object) {
        return template.apply(object);
    }

    private static PodTemplateSpec cronJobTemplate(HasMetadata object) {
        CronJob cronJob = (CronJob) object;
        if (cronJob.getSpec() == null || cronJob.getSpec().getJobTemplate() == null
                || cronJob.getSpec().getJobTemplate().getSpec() == null) {
            return null;
        }
        return cronJob.getSpec().getJobTemplate().getSpec().getTemplate();
    }

    static PodSpec specOrEmpty(PodTemplateSpec template) {
        return template == null || template.getSpec() == null ? new PodSpec() : template.getSpec();
    }

    static ObjectMeta metadataOrEmpty(PodTemplateSpec template) {
        return template == null || template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    }
}

package dev.hardening.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pod spec of a submitted object, located once, with the paths rules need to name fields.
 * Built by {@link #of(WorkloadKind, HasMetadata)}; never null-valued: absent spec or metadata become empty ones.
 */
public final class PodTarget implements Target {

    private final WorkloadKind kind;
    private final HasMetadata object;
    private final String objectName;
    private final ObjectMeta podMetadata;
    private final PodSpec spec;
    private final PodSecurityContext podSecurityContext;
    private final List<ContainerRef> containers;
    /** The object as a JSON tree: the one it was read from, or written from it when first asked for. */
    private volatile JsonNode tree;

    private PodTarget(WorkloadKind kind, HasMetadata object, JsonNode tree, ObjectMeta podMetadata, PodSpec spec) {
        this.kind = kind;
        this.object = object;
        this.tree = tree;
        this.objectName = object.getMetadata() == null ? null : object.getMetadata().getName();
        this.podMetadata = podMetadata;
        this.spec = spec;
        this.podSecurityContext = spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
        this.containers = collectContainers(spec, kind.specPath());
    }

    /** Locates the pod spec inside {@code object}, which must be of {@code kind}'s model class. */
    public static PodTarget of(WorkloadKind kind, HasMetadata object) {
        return of(kind, object, null);
    }

    /**
     * As {@link #of(WorkloadKind, HasMetadata)}, keeping {@code source}, the JSON tree {@code object} was read from
     * (by {@link ObjectReader}), for {@link #tree()}.
     */
    public static PodTarget of(WorkloadKind kind, HasMetadata object, JsonNode source) {
        PodTemplateSpec template = kind.templateOf(object);
        return new PodTarget(kind, object, source, WorkloadKind.metadataOrEmpty(template), WorkloadKind.specOrEmpty(template));
    }

    /**
     * The submitted object as a JSON tree, where a violation's {@link Violation#path()} names a field: what the
     * update ratchet compares. The tree it was read from when there is one (no second conversion on the admission
     * path), else the object written as a tree once.
     */
    @Override
    public JsonNode tree() {
        JsonNode current = tree;
        if (current == null) {
            current = ObjectReader.tree(object);
            tree = current;
        }
        return current;
    }

    @Override
    public WorkloadKind kind() {
        return kind;
    }

    /** metadata.namespace of the submitted object, or null when it does not say (a file, a request's object). */
    public String namespace() {
        return object.getMetadata() == null ? null : object.getMetadata().getNamespace();
    }

    @Override
    public String objectName() {
        return objectName;
    }

    /** The pod template's (or Pod's) labels: what a NetworkPolicy's podSelector matches. */
    public Map<String, String> podLabels() {
        return podMetadata.getLabels() == null ? Map.of() : podMetadata.getLabels();
    }

    public Map<String, String> podAnnotations() {
        return podMetadata.getAnnotations() == null ? Map.of() : podMetadata.getAnnotations();
    }

    public PodSpec spec() {
        return spec;
    }

    /** The pod-level security context; an empty one when the spec sets none, so rules need no null check. */
    public PodSecurityContext podSecurityContext() {
        return podSecurityContext;
    }

    /** Init (including sidecars), regular, then ephemeral containers, in spec order. */
    @Override
    public List<ContainerRef> containers() {
        return containers;
    }

    @Override
    public List<Violation> violationsOf(Rule rule, RuleSettings settings) {
        return rule.evaluate(this, settings);
    }

    /** Path of a pod-spec field: {@code specField("hostNetwork")} is {@code spec.template.spec.hostNetwork} for a Deployment. */
    public String specField(String relative) {
        return kind.specPath() + "." + relative;
    }

    /** Path of a pod-metadata field, e.g. an annotation. */
    public String metadataField(String relative) {
        return kind.metadataPath() + "." + relative;
    }

    /**
     * {@code spec.os.name: windows}. Upstream Pod Security exempts such pods only from the restricted checks on
     * Linux-only fields (allowPrivilegeEscalation, capabilities, seccompProfile); no baseline check exempts them.
     */
    public boolean windows() {
        return spec.getOs() != null && "windows".equals(spec.getOs().getName());
    }

    /** Pods that run until deleted: not Jobs or CronJobs, and restartPolicy Always (the default). */
    public boolean longRunning() {
        if (kind.runsToCompletion()) {
            return false;
        }
        String restartPolicy = spec.getRestartPolicy();
        return restartPolicy == null || "Always".equals(restartPolicy);
    }

    private static List<ContainerRef> collectContainers(PodSpec spec, String specPath) {
        List<ContainerRef> refs = new ArrayList<>();
        add(refs, spec.getInitContainers(), ContainerKind.INIT, specPath);
        add(refs, spec.getContainers(), ContainerKind.REGULAR, specPath);
        List<EphemeralContainer> ephemeral = spec.getEphemeralContainers();
        if (ephemeral != null) {
            for (int i = 0; i < ephemeral.size(); i++) {
                refs.add(new ContainerRef(asContainer(ephemeral.get(i)), ContainerKind.EPHEMERAL, i,
                        specPath + ".ephemeralContainers[" + i + "]"));
            }
        }
        return List.copyOf(refs);
    }

    private static void add(List<ContainerRef> refs, List<Container> list, ContainerKind kind, String specPath) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            refs.add(new ContainerRef(list.get(i), kind, i, specPath + "." + kind.field() + "[" + i + "]"));
        }
    }

    /** Ephemeral containers have the same fields as containers (minus a few the API server forbids). */
    private static Container asContainer(EphemeralContainer e) {
        Container c = new Container();
        c.setName(e.getName());
        c.setImage(e.getImage());
        c.setImagePullPolicy(e.getImagePullPolicy());
        c.setCommand(e.getCommand());
        c.setArgs(e.getArgs());
        c.setEnv(e.getEnv());
        c.setEnvFrom(e.getEnvFrom());
        c.setPorts(e.getPorts());
        c.setResources(e.getResources());
        c.setSecurityContext(e.getSecurityContext());
        c.setLivenessProbe(e.getLivenessProbe());
        c.setReadinessProbe(e.getReadinessProbe());
        c.setStartupProbe(e.getStartupProbe());
        c.setLifecycle(e.getLifecycle());
        c.setVolumeMounts(e.getVolumeMounts());
        c.setVolumeDevices(e.getVolumeDevices());
        c.setWorkingDir(e.getWorkingDir());
        c.setRestartPolicy(e.getRestartPolicy());
        c.setStdin(e.getStdin());
        c.setTty(e.getTty());
        return c;
    }
}

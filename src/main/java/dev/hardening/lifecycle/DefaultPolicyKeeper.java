package dev.hardening.lifecycle;

import dev.hardening.lifecycle.leader.LeaderWork;
import dev.hardening.policy.HardeningPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The leader keeps the cluster-default HardeningPolicy as the settings say: created when absent, else applied
 * (server-side apply, its own field manager, forced) with only what the settings own — profile, mode, {@link #MANAGED_BY} and the ownerReference that
 * lets the garbage collector remove it with the chart's ClusterRole — and applied again when it is edited away or
 * deleted; deleted when disabled, but only if it carries the label (an admin's own policy of that name is left alone).
 * Helm cannot template it: on a fresh install Helm maps every template before it creates the CRD in the same chart.
 */
public final class DefaultPolicyKeeper implements LeaderWork {

    public static final String FIELD_MANAGER = "hardening-operator-default-policy";
    /** The label saying the operator keeps this policy; its value is the operator's name. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "hardening-operator";
    /** Re-checks from the informer's cache this often, so a write refused once is tried again. */
    private static final long RESYNC_MILLIS = 30_000;
    private static final Logger LOG = Logger.getLogger(DefaultPolicyKeeper.class);

    /** What a pass did. */
    public enum Action { NONE, APPLIED, DELETED, WAITING_FOR_OWNER, FAILED }

    private final KubernetesClient client;
    private final DefaultPolicySettings settings;
    private final Supplier<Optional<OwnerReference>> owner;
    private final boolean ownerRequired;
    private SharedIndexInformer<GenericKubernetesResource> informer;

    /** {@code ownerRequired}: never create the policy without its owner (it would survive an uninstall). */
    public DefaultPolicyKeeper(KubernetesClient client, DefaultPolicySettings settings,
                               Supplier<Optional<OwnerReference>> owner, boolean ownerRequired) {
        this.client = client;
        this.settings = settings;
        this.owner = owner;
        this.ownerRequired = ownerRequired;
    }

    @Override
    public synchronized void startLeading() {
        if (informer == null) {
            informer = policy().inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource obj) {
                    ensure();
                }

                @Override
                public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                    ensure();
                }

                @Override
                public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
                    if (settings.enabled()) {
                        LOG.warnf("HardeningPolicy %s/%s was deleted; creating it again (defaultPolicy.enabled)",
                                settings.namespace(), settings.name());
                    }
                    ensure();
                }
            }, RESYNC_MILLIS);
        }
        ensure();
    }

    @Override
    public synchronized void stopLeading() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }

    /** One pass: reads the policy and writes only when it differs from the settings. */
    public synchronized Action ensure() {
        try {
            GenericKubernetesResource current = policy().get();
            if (!settings.enabled()) {
                if (current == null || !managed(current)) {
                    return Action.NONE;
                }
                policy().delete();
                LOG.infof("HardeningPolicy %s/%s deleted (defaultPolicy.enabled is false)", settings.namespace(), settings.name());
                return Action.DELETED;
            }
            Optional<OwnerReference> ownerReference = owner.get();
            if (ownerRequired && ownerReference.isEmpty()) {
                return Action.WAITING_FOR_OWNER;
            }
            GenericKubernetesResource desired = desired(ownerReference);
            if (matches(desired, current)) {
                return Action.NONE;
            }
            if (current == null) {
                policies().resource(desired).create();
            } else {
                // forced: profile and mode are the chart values', whoever edited them since
                policies().resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            }
            LOG.infof("HardeningPolicy %s/%s applied (profile %s, mode %s)", settings.namespace(), settings.name(),
                    settings.profile(), settings.mode());
            return Action.APPLIED;
        } catch (KubernetesClientException e) {
            LOG.errorf("cannot keep HardeningPolicy %s/%s (%d): %s", settings.namespace(), settings.name(), e.getCode(),
                    e.getMessage());
            return Action.FAILED;
        }
    }

    GenericKubernetesResource desired(Optional<OwnerReference> ownerReference) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(HardeningPolicy.GROUP + "/" + HardeningPolicy.VERSION)
                .withKind(HasMetadata.getKind(HardeningPolicy.class))
                .withNewMetadata().withName(settings.name()).withNamespace(settings.namespace())
                .addToLabels(MANAGED_BY, MANAGER).withOwnerReferences(ownerReference.map(List::of).orElse(List.of()))
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of("profile", settings.profile(), "mode", settings.mode()))
                .build();
    }

    private static boolean matches(GenericKubernetesResource desired, GenericKubernetesResource current) {
        if (current == null || current.getMetadata().getDeletionTimestamp() != null || !managed(current)) {
            return false;
        }
        Map<?, ?> want = (Map<?, ?>) desired.getAdditionalProperties().get("spec");
        Object spec = current.getAdditionalProperties().get("spec");
        if (!(spec instanceof Map<?, ?> have) || !want.entrySet().stream()
                .allMatch(e -> Objects.equals(e.getValue(), have.get(e.getKey())))) {
            return false;
        }
        List<OwnerReference> owners = current.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().map(OwnerReference::getUid).toList()
                .containsAll(desired.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).toList());
    }

    private static boolean managed(GenericKubernetesResource policy) {
        Map<String, String> labels = policy.getMetadata().getLabels();
        return labels != null && MANAGER.equals(labels.get(MANAGED_BY));
    }

    private Resource<GenericKubernetesResource> policy() {
        return policies().withName(settings.name());
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> policies() {
        return client.genericKubernetesResources(StartupPreflight.POLICIES).inNamespace(settings.namespace());
    }
}

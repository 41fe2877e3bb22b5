package dev.hardening.registration;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ownerReference that makes the garbage collector delete the webhook configuration and the certificate Secret
 * when the chart's ClusterRole goes away (helm uninstall). No {@code blockOwnerDeletion}: setting it requires
 * {@code update} on the owner's {@code finalizers}, and nothing needs to wait for the dependents anyway.
 */
public final class ClusterRoleOwner implements Supplier<Optional<OwnerReference>> {

    private static final Logger LOG = Logger.getLogger(ClusterRoleOwner.class);

    private final KubernetesClient client;
    private final Optional<String> name;
    private volatile OwnerReference resolved;

    public ClusterRoleOwner(KubernetesClient client, Optional<String> name) {
        this.client = client;
        this.name = name;
    }

    @Override
    public Optional<OwnerReference> get() {
        if (resolved != null || name.isEmpty()) {
            return Optional.ofNullable(resolved);
        }
        try {
            ClusterRole role = client.rbac().clusterRoles().withName(name.get()).get();
            if (role == null) {
                LOG.warnf("ClusterRole %s not found: the webhook configuration will survive an uninstall", name.get());
                return Optional.empty();
            }
            resolved = new OwnerReferenceBuilder().withApiVersion("rbac.authorization.k8s.io/v1").withKind("ClusterRole")
                    .withName(role.getMetadata().getName()).withUid(role.getMetadata().getUid()).build();
            return Optional.of(resolved);
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read ClusterRole %s (%d): the webhook configuration will survive an uninstall",
                    name.get(), e.getCode());
            return Optional.empty();
        }
    }
}

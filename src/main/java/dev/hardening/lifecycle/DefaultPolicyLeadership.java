package dev.hardening.lifecycle;

import dev.hardening.HardeningConfig;
import dev.hardening.lifecycle.leader.Leadership;
import dev.hardening.registration.ClusterRoleOwner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Registers the {@link DefaultPolicyKeeper} as leader work once the preflight has passed. */
@UnlessBuildProfile("test")
@ApplicationScoped
public class DefaultPolicyLeadership {

    private final KubernetesClient client;
    private final HardeningConfig config;
    private final StartupPreflight preflight;
    private final Leadership leadership;

    public DefaultPolicyLeadership(KubernetesClient client, HardeningConfig config, StartupPreflight preflight,
                                   Leadership leadership) {
        this.client = client;
        this.config = config;
        this.preflight = preflight;
        this.leadership = leadership;
    }

    void onStart(@Observes @Priority(2000) StartupEvent event) {
        if (!preflight.passed()) {
            return;
        }
        // the same owner as the webhook configuration's: helm uninstall deletes the ClusterRole, the GC the policy
        leadership.register(new DefaultPolicyKeeper(client, DefaultPolicySettings.of(config),
                new ClusterRoleOwner(client, config.webhook().ownerClusterRole()),
                config.webhook().ownerClusterRole().isPresent()));
    }
}

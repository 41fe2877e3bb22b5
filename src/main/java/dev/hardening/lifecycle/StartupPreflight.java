package dev.hardening.lifecycle;

import dev.hardening.ConfigCheck;
import dev.hardening.HardeningConfig;
import dev.hardening.lifecycle.leader.ElectionGate;
import dev.hardening.policy.HardeningPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to run half-configured: before anything else starts, one request proves that the API server accepts the
 * operator's credentials and serves the HardeningPolicy CRD, and the settings are checked. On failure the process
 * logs ONE line saying what is wrong and how to fix it, and exits non-zero (the pod restarts, visibly).
 */
@UnlessBuildProfile("test")
@ApplicationScoped
public class StartupPreflight implements ElectionGate {

    /** Group, version and plural as the model declares them, not a copy. */
    static final ResourceDefinitionContext POLICIES = ResourceDefinitionContext.fromResourceType(HardeningPolicy.class);
    private static final String POLICIES_NAME = HasMetadata.getFullResourceName(HardeningPolicy.class);
    private static final Logger LOG = Logger.getLogger(StartupPreflight.class);

    private final KubernetesClient client;
    private final HardeningConfig config;
    private volatile boolean passed;

    public StartupPreflight(KubernetesClient client, HardeningConfig config) {
        this.client = client;
        this.config = config;
    }

    void onStart(@Observes @Priority(1000) StartupEvent event) {
        Optional<String> problem = check(client, config);
        if (problem.isPresent()) {
            LOG.error("startup preflight failed: " + problem.get());
            Quarkus.asyncExit(1);
            return;
        }
        passed = true;
        SupportedKubernetes.warning(client).ifPresent(LOG::warn);
    }

    @Override
    public boolean passed() {
        return passed;
    }

    /** What stops the operator from working, as one sentence; empty when it can start. */
    public static Optional<String> check(KubernetesClient client, HardeningConfig config) {
        List<String> errors = new ArrayList<>(ConfigCheck.errors(config));
        // the cluster-default policy's settings name engine values (profiles, modes), which the configuration layer
        // may not import: checked here, reported in the same line
        errors.addAll(DefaultPolicySettings.of(config).errors());
        if (!errors.isEmpty()) {
            return Optional.of("invalid configuration: " + String.join("; ", errors));
        }
        try {
            client.genericKubernetesResources(POLICIES).inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build());
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.of(diagnose(e.getCode(), String.valueOf(client.getMasterUrl()), e.getMessage()));
        }
    }

    static String diagnose(int code, String apiServer, String message) {
        return switch (code) {
            case 401 -> "the API server at " + apiServer + " rejected the operator's credentials (401 Unauthorized); "
                    + "check the ServiceAccount token or kubeconfig";
            case 403 -> "the operator may not list " + POLICIES_NAME + " (403 Forbidden); "
                    + "the chart's ClusterRole or ClusterRoleBinding is missing or outdated";
            case 404 -> "the CRD " + POLICIES_NAME + " (" + HardeningPolicy.VERSION + ") is not installed; "
                    + "apply crds/ (the chart installs it) and restart";
            default -> "cannot talk to the API server at " + apiServer + " (" + (code == 0 ? "no answer" : "HTTP " + code)
                    + "): " + firstLine(message);
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

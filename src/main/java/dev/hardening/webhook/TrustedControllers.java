package dev.hardening.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hardening.HardeningConfig;
import dev.hardening.rules.WorkloadKind;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the built-in workload controllers derive is not judged again: a ReplicaSet the deployment controller creates
 * for its Deployment, the Pods of a ReplicaSet, StatefulSet, DaemonSet, Job or ReplicationController, the Jobs of a
 * CronJob. Their owner's template was judged when a person applied it, and the update ratchet decided its legacy
 * violations; judging the copies again only turns a tightened policy into a rollout that cannot create Pods.
 *
 * <p>Both must hold, so that a person cannot get around it: the request comes from a controller identity
 * ({@code hardening.webhook.controller-usernames}), and the object has a {@code controller: true} owner reference
 * whose kind and API group are an owner of its kind ({@link WorkloadKind#controllerOwners()}). The registered
 * webhook carries the same decision as a matchCondition, so the API server does not call the webhook for these at
 * all; this class applies it again for API servers that evaluated no condition (and in tests).
 */
final class TrustedControllers {

    private final boolean trust;
    private final Set<String> usernames;

    TrustedControllers(HardeningConfig.ControllerChildren mode, List<String> usernames) {
        this.trust = mode == HardeningConfig.ControllerChildren.Trust;
        this.usernames = usernames.stream().map(String::trim).filter(u -> !u.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    static TrustedControllers of(HardeningConfig.Webhook config) {
        return new TrustedControllers(config.controllerChildren(), config.controllerUsernames());
    }

    /** Whether {@code request} (of {@code kind}, main resource) is a controller deriving an object for its owner. */
    boolean derivedByController(WorkloadKind kind, AdmissionRequest request) {
        if (!trust || !request.subResource().isEmpty() || !usernames.contains(request.user().username())
                || request.object() == null || kind.controllerOwners().isEmpty()) {
            return false;
        }
        for (JsonNode owner : request.object().path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false) && owner.path("controller").isBoolean()
                    && kind.controllerOwner(text(owner.path("apiVersion")), text(owner.path("kind")))) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}

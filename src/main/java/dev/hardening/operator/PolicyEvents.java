package dev.hardening.operator;

import dev.hardening.policy.HardeningPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** core/v1 Events on a HardeningPolicy, shown by {@code kubectl describe hp}. */
@ApplicationScoped
public class PolicyEvents {

    static final String REASON = "ViolationsChanged";
    private static final Logger LOG = Logger.getLogger(PolicyEvents.class);

    private final Clock clock = Clock.systemUTC();

    /** @param before the previous count, or -1 for the first audit */
    public void violationsChanged(KubernetesClient client, HardeningPolicy policy, int before, int after) {
        Instant now = clock.instant();
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withNamespace(policy.getMetadata().getNamespace())
                .withName(policy.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli()))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(policy.getApiVersion()).withKind(policy.getKind())
                .withNamespace(policy.getMetadata().getNamespace()).withName(policy.getMetadata().getName())
                .withUid(policy.getMetadata().getUid()).withResourceVersion(policy.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(after > Math.max(before, 0) ? "Warning" : "Normal")
                .withReason(REASON)
                .withMessage(message(before, after))
                .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
                .withNewSource().withComponent("hardening-operator").endSource()
                .build();
        try {
            client.v1().events().inNamespace(policy.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // an Event is a courtesy: never fail the reconciliation (and its status write) over it
            LOG.warnf("cannot record event on HardeningPolicy %s: %s", policy.ref(), e.getMessage());
        }
    }

    static String message(int before, int after) {
        String now = after + (after == 1 ? " existing object violates" : " existing objects violate") + " this policy";
        return before < 0 ? now : now + " (was " + before + ")";
    }
}

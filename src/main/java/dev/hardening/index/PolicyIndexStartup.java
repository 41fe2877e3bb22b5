package dev.hardening.index;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Lists the policies as early as startup allows: right after the preflight (priority 1000), before leader election
 * and the operator SDK's controllers, which take seconds on one CPU. Readiness waits for this list and for the
 * webhook, nothing else; the scans' informers start here too. The start is asynchronous; a failed one is retried by the next use of the index.
 */
@UnlessBuildProfile("test")
@ApplicationScoped
public class PolicyIndexStartup {

    private final InformerPolicyIndex index;
    private final ScanIndex scans;

    public PolicyIndexStartup(InformerPolicyIndex index, ScanIndex scans) {
        this.index = index;
        this.scans = scans;
    }

    void onStart(@Observes @Priority(1100) StartupEvent event) {
        index.start();
        // not waited for: readiness never depends on the scans
        scans.start();
    }
}

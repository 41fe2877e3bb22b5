package dev.hardening.lifecycle.leader;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * In {@code @QuarkusTest}s the one replica leads from the start: {@link LeaderElection} does not run in the test
 * profile (most of those tests have no API server at all), and the reconciler tests need a leader to write status.
 */
@ApplicationScoped
class SingleReplicaLeadership {

    void onStart(@Observes StartupEvent event, Leadership leadership) {
        leadership.gained();
    }
}

package dev.hardening.lifecycle;

import dev.hardening.HardeningConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Only one replica reconciles (writes status, runs the audit): the holder of a Lease in the operator's namespace.
 * The operator SDK activates it in the prod profile only ({@code quarkus.operator-sdk.activate-leader-election-for-profiles}),
 * so tests run without it. Admission does not depend on it: every replica has its own policy index.
 */
public class LeaderElection {

    public static final String LEASE_NAME = "hardening-operator-leader";

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(HardeningConfig config) {
        return new LeaderElectionConfiguration(LEASE_NAME, config.namespace(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                null, new LeaderCallbacks(() -> { }, LeaderElection::exitAfterLosingLease, leader -> { }), false);
    }

    /**
     * A replica that lost its Lease restarts to contend again, as the operator SDK's default does, but calls
     * {@code System.exit} from a thread of its own: the SDK calls it from the shutdown hook when it releases the
     * Lease on SIGTERM, and {@code System.exit} inside a shutdown hook blocks forever, so every pod stop hung until
     * the kubelet killed it. From a separate daemon thread the call simply waits for the exit already under way.
     */
    static void exitAfterLosingLease() {
        Thread exit = new Thread(() -> System.exit(1), "exit-after-losing-lease");
        exit.setDaemon(true);
        exit.start();
    }
}

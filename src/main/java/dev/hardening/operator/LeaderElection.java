package dev.hardening.operator;

import dev.hardening.HardeningConfig;
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
        return new LeaderElectionConfiguration(LEASE_NAME, config.namespace());
    }
}

package dev.hardening.lifecycle.leader;

import dev.hardening.lifecycle.StartupPreflight;

/**
 * Whether this replica may compete for the Lease at all: {@link LeaderElection} asks it once at start, so that leader
 * election itself knows nothing of what has to pass first (today the {@link StartupPreflight}).
 */
public interface ElectionGate {

    /** True when the checks that run before anything else have passed. */
    boolean passed();
}

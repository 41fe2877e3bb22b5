/**
 * Infrastructure: leader election and nothing else. {@code LeaderElection} holds the Lease, {@code Leadership} says
 * whether this replica leads, {@code LeaderWork} is what a component implements to start and stop with it. Knows
 * nothing of what runs on the leader. May use the configuration.
 */
package dev.hardening.lifecycle.leader;

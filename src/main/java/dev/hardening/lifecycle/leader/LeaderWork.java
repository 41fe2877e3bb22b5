package dev.hardening.lifecycle.leader;

/**
 * Work that only the leader does (status writes, webhook registration, certificate upkeep). Started when this
 * replica gains the Lease, stopped when it loses it; both run on {@link Leadership}'s own thread, one at a time and
 * in order, never on the election's thread.
 */
@FunctionalInterface
public interface LeaderWork {

    void startLeading();

    default void stopLeading() {
    }
}

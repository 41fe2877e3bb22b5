package dev.hardening.lifecycle.leader;

/**
 * When this replica may start competing for the Lease: once it admits (today {@code lifecycle.AdmissionFirst}), so
 * that leader election itself knows nothing of what admission needs.
 */
public interface AdmissionGate {

    /** Runs {@code start} once this replica admits (or cannot be expected to), on a thread of the gate's own. */
    void afterAdmitting(String what, Runnable start);
}

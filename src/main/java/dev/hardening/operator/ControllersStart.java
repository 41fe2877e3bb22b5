package dev.hardening.operator;

import dev.hardening.lifecycle.AdmissionFirst;
import dev.hardening.lifecycle.StartupPreflight;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * Starts the operator SDK's controllers once this replica admits ({@link AdmissionFirst}), not at startup: they are
 * leader work (the reconciler asks {@link dev.hardening.lifecycle.Leadership}) and took 1.5 s of the one CPU that the
 * first admission was waiting for. The SDK's own start is off ({@code quarkus.operator-sdk.start-operator=false}), so
 * its stop is ours too.
 */
@UnlessBuildProfile("test")
@ApplicationScoped
public class ControllersStart {

    /** Looked up when the controllers start: producing the Operator registers them, which startup need not wait for. */
    private final Instance<Operator> operator;
    private final AdmissionFirst admissionFirst;
    private final StartupPreflight preflight;
    private volatile boolean stopping;
    private volatile boolean started;

    public ControllersStart(Instance<Operator> operator, AdmissionFirst admissionFirst, StartupPreflight preflight) {
        this.operator = operator;
        this.admissionFirst = admissionFirst;
        this.preflight = preflight;
    }

    void onStart(@Observes @Priority(1600) StartupEvent event) {
        if (preflight.passed()) {
            admissionFirst.afterAdmitting("the controllers", this::start);
        }
    }

    private synchronized void start() {
        if (!stopping) {
            operator.get().start();
            started = true;
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        synchronized (this) {
            if (started) {
                operator.get().stop();
            }
        }
    }
}

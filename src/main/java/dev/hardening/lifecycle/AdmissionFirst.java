package dev.hardening.lifecycle;

import dev.hardening.engine.PolicyIndex;
import dev.hardening.lifecycle.leader.AdmissionGate;
import dev.hardening.tls.TlsMaterialSource;
import dev.hardening.tls.WebhookServingState;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Startup in two stages. First what admission needs: the policy index, the serving certificate, the webhook port.
 * Then, once this replica admits, the rest: leader election and its work, the operator's controllers. On the one CPU
 * of a Pod the rest took 1.5-2 CPU-seconds, and in parallel it delayed the first admission by as much.
 *
 * <p>The rest starts at once when there is no usable certificate (a fresh install: the leader must issue it before
 * anyone can serve), and after {@link #AT_THE_LATEST} whatever happens, so that a replica that cannot serve (an
 * unusable Secret) still competes for the Lease whose work would repair it.
 */
@UnlessBuildProfile("test")
@ApplicationScoped
public class AdmissionFirst implements AdmissionGate {

    static final Duration AT_THE_LATEST = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Logger LOG = Logger.getLogger(AdmissionFirst.class);

    private final WebhookServingState serving;
    private final PolicyIndex policies;
    private final TlsMaterialSource tls;
    private final List<Runnable> pending = new ArrayList<>();
    private boolean open;
    /** Polls until this replica admits, then runs the deferred starts one after the other. */
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "after-admission-start");
        t.setDaemon(true);
        return t;
    });

    public AdmissionFirst(WebhookServingState serving, PolicyIndex policies, TlsMaterialSource tls) {
        this.serving = serving;
        this.policies = policies;
        this.tls = tls;
    }

    /** After the preflight (1000) and the policy index (1100), before the leader election (1500). */
    void onStart(@Observes @Priority(1400) StartupEvent event) {
        // the webhook (1200) has listed the certificate Secret by now
        if (tls.current().isEmpty()) {
            open("no usable serving certificate yet");
            return;
        }
        long deadline = System.nanoTime() + AT_THE_LATEST.toNanos();
        thread.execute(() -> check(deadline));
    }

    private void check(long deadline) {
        if (serving.serving() && policies.ready()) {
            open("admitting");
        } else if (System.nanoTime() - deadline > 0) {
            open("not admitting after " + AT_THE_LATEST.toSeconds() + "s");
        } else {
            thread.schedule(() -> check(deadline), POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Runs {@code start} once this replica admits (or cannot, see the class comment), on a thread of its own, after
     * the starts registered before it (a CompletableFuture's dependents would run the last one first).
     */
    @Override
    public synchronized void afterAdmitting(String what, Runnable start) {
        Runnable guarded = () -> {
            try {
                start.run();
            } catch (RuntimeException e) {
                LOG.errorf("%s failed to start: %s", what, e.getMessage());
            }
        };
        if (open) {
            thread.execute(guarded);
        } else {
            pending.add(guarded);
        }
    }

    private void open(String why) {
        synchronized (this) {
            if (open) {
                return;
            }
            open = true;
            LOG.infof("starting leader election and the controllers (%s)", why);
            pending.forEach(thread::execute);
            pending.clear();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        thread.shutdownNow();
    }
}

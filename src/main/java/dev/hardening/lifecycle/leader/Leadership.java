package dev.hardening.lifecycle.leader;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Whether this replica is the leader, and the {@link LeaderWork} that follows from it. Leadership only ever starts
 * or stops leader work: serving admissions, the informers and the policy index never look at it, so losing the
 * Lease (an API-server outage, a slow renewal) costs nothing but the leader work until the Lease is won again.
 *
 * <p>{@link #leading()} flips at once; the work's callbacks run on one thread of their own, in order, so a slow
 * start (an informer's first list) never delays the election's renewals.
 */
@ApplicationScoped
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final List<LeaderWork> work = new ArrayList<>();
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "leader-work");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean leading;

    /** True while this replica holds the Lease; leader work checks it before every write. */
    public boolean leading() {
        return leading;
    }

    /** Adds leader work; started at once when this replica already leads. */
    public synchronized void register(LeaderWork leaderWork) {
        work.add(leaderWork);
        if (leading) {
            dispatch("start", leaderWork::startLeading);
        }
    }

    public synchronized void gained() {
        if (leading) {
            return;
        }
        leading = true;
        LOG.info("leading: starting leader work");
        work.forEach(w -> dispatch("start", w::startLeading));
    }

    public synchronized void lost() {
        if (!leading) {
            return;
        }
        leading = false;
        LOG.info("not leading: leader work stopped; this replica keeps serving admissions and competes again");
        work.forEach(w -> dispatch("stop", w::stopLeading));
    }

    /** Stops the leader work and waits (briefly) for it, so nothing writes after the Lease was released. */
    @PreDestroy
    void close() {
        lost();
        callbacks.shutdown();
        try {
            if (!callbacks.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("leader work did not stop within 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(String what, Runnable callback) {
        if (callbacks.isShutdown()) {
            return;
        }
        callbacks.execute(() -> {
            try {
                callback.run();
            } catch (RuntimeException e) {
                // one failing piece of leader work must not keep the others from starting or stopping
                LOG.errorf("leader work failed to %s: %s", what, e.getMessage());
            }
        });
    }
}

package dev.hardening.lifecycle.leader;

import dev.hardening.HardeningConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The operator's one leader election: the Lease {@value #LEASE} in the operator namespace, held by one replica, which
 * then does all the leader work ({@link Leadership}): status and audit writes, webhook registration, certificate
 * upkeep.
 *
 * <p>One Lease, not one per kind of work: the work is small, split it would only add a second failure mode (two
 * replicas each leading half), and an API-server outage takes both Leases away at the same moment anyway. The operator
 * SDK's own election is not used: it exits the process when the Lease is lost, and its "do not exit" mode keeps
 * reconciling without the Lease and never competes again.
 *
 * <p>Losing the Lease never stops the process: the replica stops its leader work and competes again, in a loop,
 * until the API server answers; meanwhile it keeps serving admissions from its policy index. On SIGTERM the Lease is
 * released, so another replica takes over at once instead of after {@link #LEASE_DURATION}.
 */
@UnlessBuildProfile("test")
@ApplicationScoped
public class LeaderElection {

    public static final String LEASE = "hardening-operator-leader";
    /** How long a Lease lasts without renewal: a killed leader is replaced after at most this (plus one retry). */
    public static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
    static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
    /**
     * Bound on one Lease request. With the shared client's retries (10, backing off to 3.2 s) one failed renewal
     * took about 20 s, so a leader cut off from the API server went on believing it led for 40 s, long after its
     * Lease (15 s) could have gone to another replica. Without retries and with this timeout a leader notices within
     * {@link #RENEW_DEADLINE} plus one request: before the Lease expires.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final KubernetesClient client;
    private final Vertx vertx;
    private final HardeningConfig config;
    private final Leadership leadership;
    private final ElectionGate gate;
    private final AdmissionGate admissionFirst;
    private volatile boolean running = true;
    private volatile CompletableFuture<?> election;
    private volatile Thread elector;
    private volatile KubernetesClient leaseClient;

    public LeaderElection(KubernetesClient client, Vertx vertx, HardeningConfig config, Leadership leadership,
                          ElectionGate gate, AdmissionGate admissionFirst) {
        this.client = client;
        this.admissionFirst = admissionFirst;
        this.vertx = vertx;
        this.config = config;
        this.leadership = leadership;
        this.gate = gate;
    }

    void onStart(@Observes @Priority(1500) StartupEvent event) {
        if (!gate.passed()) {
            return;
        }
        admissionFirst.afterAdmitting("leader election", this::start);
    }

    private synchronized void start() {
        if (!running) {
            return;
        }
        String identity = identity();
        Config leaseConfig = new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0)
                .withRequestTimeout((int) REQUEST_TIMEOUT.toMillis()).withConnectionTimeout((int) REQUEST_TIMEOUT.toMillis())
                .build();
        leaseClient = new KubernetesClientBuilder().withConfig(leaseConfig)
                .withHttpClientFactory(new VertxHttpClientFactory(vertx)).build();
        LOG.infof("competing for Lease %s/%s as %s", config.namespace(), LEASE, identity);
        elector = new Thread(() -> {
            while (running) {
                compete(identity);
                pause();
            }
        }, "leader-election");
        elector.setDaemon(true);
        elector.start();
    }

    /** One election: returns when the Lease was lost (or never won and the election was cancelled). */
    private void compete(String identity) {
        try {
            CompletableFuture<?> started = leaseClient.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                    .withName(LEASE)
                    .withLock(new LeaseLock(config.namespace(), LEASE, identity))
                    .withLeaseDuration(LEASE_DURATION)
                    .withRenewDeadline(RENEW_DEADLINE)
                    .withRetryPeriod(RETRY_PERIOD)
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(new LeaderCallbacks(leadership::gained, leadership::lost,
                            leader -> LOG.infof("Lease %s is held by %s", LEASE, leader)))
                    .build()).build().start();
            election = started;
            if (!running) {
                started.cancel(true);
            }
            started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (CancellationException e) {
            // shutdown
        } catch (ExecutionException | RuntimeException e) {
            LOG.warnf("leader election ended with an error, competing again: %s", rootMessage(e));
        } finally {
            // the elector calls lost() itself when it was leading; this covers an election that ended otherwise
            leadership.lost();
        }
    }

    /** A lost Lease is not contended for again in the same instant (nor in a tight loop if the elector fails). */
    private void pause() {
        try {
            Thread.sleep(RETRY_PERIOD.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Releases the Lease before the process exits, then stops the leader work. */
    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            running = false;
        }
        CompletableFuture<?> current = election;
        if (current != null) {
            current.cancel(true);
        }
        if (elector != null) {
            elector.interrupt();
        }
        leadership.close();
        if (leaseClient != null) {
            leaseClient.close();
        }
    }

    /**
     * Unique per process, as client-go does it ({@code <host>_<uuid>}): two processes with one identity (the same
     * HOSTNAME, as on one machine) would both believe they hold the Lease.
     */
    static String identity() {
        String host = Optional.ofNullable(System.getenv("POD_NAME")).or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
                .filter(s -> !s.isBlank()).orElse("hardening-operator");
        return host + "_" + UUID.randomUUID();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Objects.toString(root.getMessage(), root.getClass().getSimpleName());
    }
}

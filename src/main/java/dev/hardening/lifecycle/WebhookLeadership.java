package dev.hardening.lifecycle;

import dev.hardening.HardeningConfig;
import dev.hardening.registration.ClusterRoleOwner;
import dev.hardening.registration.WebhookRegistration;
import dev.hardening.registration.WebhookSettings;
import dev.hardening.tls.CertificateIssuer;
import dev.hardening.tls.CertificateMode;
import dev.hardening.tls.RotationExecutor;
import dev.hardening.tls.RotationPlanner;
import dev.hardening.tls.SelfManagedCertificates;
import dev.hardening.tls.ServedCertificateProbe;
import dev.hardening.tls.ServingNames;
import dev.hardening.tls.TlsMaterialSource;
import dev.hardening.tls.WebhookServingState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the leader-only work (self-managed certificates, webhook registration) on the replica holding the Lease
 * {@value #LEASE}. A Lease of its own, apart from the operator's reconciler Lease, because a replica serving the
 * webhook must keep the certificates alive even while the reconcilers are leaderless, and neither election waits on
 * the other. Losing the Lease stops the work at once; the replica then competes again.
 */
@UnlessBuildProfile("test")
@ApplicationScoped
public class WebhookLeadership {

    static final String LEASE = "hardening-operator-webhook";
    /** A new CA is used this long after the API server was told to trust it (its webhook informer lags slightly). */
    static final Duration PROPAGATION_GRACE = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(WebhookLeadership.class);

    private final KubernetesClient client;
    private final HardeningConfig config;
    private final TlsMaterialSource tls;
    private final WebhookServingState serving;
    private final StartupPreflight preflight;
    private volatile boolean running = true;
    private Thread elector;
    private ScheduledExecutorService work;
    private WebhookRegistration registration;

    public WebhookLeadership(KubernetesClient client, HardeningConfig config, TlsMaterialSource tls,
                             WebhookServingState serving, StartupPreflight preflight) {
        this.client = client;
        this.config = config;
        this.tls = tls;
        this.serving = serving;
        this.preflight = preflight;
    }

    void onStart(@Observes @Priority(2000) StartupEvent event) {
        CertificateMode mode = CertificateMode.parse(config.certificates().mode()).orElse(CertificateMode.EXTERNAL);
        if (!preflight.passed() || (!config.webhook().register() && mode != CertificateMode.SELF_MANAGED)) {
            return;
        }
        String identity = Optional.ofNullable(System.getenv("POD_NAME")).or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
                .orElse(UUID.randomUUID().toString());
        elector = new Thread(() -> {
            while (running) {
                try {
                    client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                            .withName(LEASE)
                            .withLock(new LeaseLock(config.namespace(), LEASE, identity))
                            .withLeaseDuration(Duration.ofSeconds(15))
                            .withRenewDeadline(Duration.ofSeconds(10))
                            .withRetryPeriod(Duration.ofSeconds(2))
                            .withReleaseOnCancel(true)
                            .withLeaderCallbacks(new LeaderCallbacks(() -> lead(mode), this::follow, leader -> { }))
                            .build()).build().run();
                } catch (RuntimeException e) {
                    LOG.warnf("webhook leader election failed, retrying: %s", e.getMessage());
                }
            }
        }, "webhook-leader-election");
        elector.setDaemon(true);
        elector.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (elector != null) {
            elector.interrupt();
        }
        follow();
    }

    private synchronized void lead(CertificateMode mode) {
        LOG.infof("leading webhook certificates (%s) and registration", mode.value());
        WebhookSettings settings = WebhookSettings.of(config);
        ClusterRoleOwner owner = new ClusterRoleOwner(client, config.webhook().ownerClusterRole());
        work = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-leader");
            t.setDaemon(true);
            return t;
        });
        if (config.webhook().register()) {
            registration = new WebhookRegistration(client, settings, tls, serving, owner);
            work.execute(registration::start);
            work.scheduleWithFixedDelay(safely("registration", registration::ensure), 2, 5, TimeUnit.SECONDS);
        }
        if (mode == CertificateMode.SELF_MANAGED) {
            WebhookRegistration registered = registration;
            SelfManagedCertificates certificates = new SelfManagedCertificates(client, config.namespace(),
                    config.certificates().secretName(),
                    ServingNames.of(settings.serviceName(), settings.namespace(), settings.local(),
                            config.certificates().extraSans().orElse(List.of())),
                    new RotationPlanner(PROPAGATION_GRACE),
                    new RotationExecutor(new CertificateIssuer(), config.certificates().caValidity(),
                            config.certificates().servingValidity()),
                    new ServedCertificateProbe(client, settings.namespace(), settings.serviceName(),
                            settings.url().map(URI::create)),
                    // without our own registration, whoever registers is trusted to follow ca.crt within the grace
                    cas -> registered == null || registered.trusts(cas),
                    owner, Clock.systemUTC());
            work.scheduleWithFixedDelay(safely("certificates", certificates::reconcile), 0, 60, TimeUnit.SECONDS);
        }
    }

    private synchronized void follow() {
        if (work != null) {
            work.shutdownNow();
            work = null;
        }
        if (registration != null) {
            registration.stop();
            registration = null;
        }
    }

    private static Runnable safely(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // a failed pass is retried by the next one; the scheduler must not die with it
                LOG.errorf("webhook %s pass failed: %s", what, e.getMessage());
            }
        };
    }
}

package dev.hardening.lifecycle;

import dev.hardening.HardeningConfig.CertificateMode;
import dev.hardening.HardeningConfig;
import dev.hardening.lifecycle.leader.LeaderElection;
import dev.hardening.lifecycle.leader.LeaderWork;
import dev.hardening.lifecycle.leader.Leadership;
import dev.hardening.registration.ClusterRoleOwner;
import dev.hardening.registration.WebhookRegistration;
import dev.hardening.registration.WebhookSettings;
import dev.hardening.tls.CertificateIssuer;
import dev.hardening.tls.RotationExecutor;
import dev.hardening.tls.RotationPlanner;
import dev.hardening.tls.SelfManagedCertificates;
import dev.hardening.tls.ServedCertificateProbe;
import dev.hardening.tls.ServingNames;
import dev.hardening.tls.TlsMaterialSource;
import dev.hardening.tls.WebhookServingState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The webhook's leader work (self-managed certificates, webhook registration), run while this replica holds the
 * operator's one Lease ({@link LeaderElection}). Losing the Lease stops the work at once; serving goes on, with the
 * certificate every replica reloads from the Secret by itself.
 */
@UnlessBuildProfile("test")
@ApplicationScoped
public class WebhookLeadership implements LeaderWork {

    /** A new CA is used this long after the API server was told to trust it (its webhook informer lags slightly). */
    static final Duration PROPAGATION_GRACE = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(WebhookLeadership.class);

    private final KubernetesClient client;
    private final HardeningConfig config;
    private final TlsMaterialSource tls;
    private final WebhookServingState serving;
    private final StartupPreflight preflight;
    private final Leadership leadership;
    private CertificateMode mode;
    private WebhookSettings settings;
    private ClusterRoleOwner owner;
    /** One for the life of the process (it subscribes to the TLS material once); started and stopped with the Lease. */
    private WebhookRegistration registration;
    private ScheduledExecutorService work;

    public WebhookLeadership(KubernetesClient client, HardeningConfig config, TlsMaterialSource tls,
                             WebhookServingState serving, StartupPreflight preflight, Leadership leadership) {
        this.client = client;
        this.config = config;
        this.tls = tls;
        this.serving = serving;
        this.preflight = preflight;
        this.leadership = leadership;
    }

    void onStart(@Observes @Priority(2000) StartupEvent event) {
        if (!preflight.passed()) {
            return;
        }
        mode = config.certificates().mode();
        if (!config.webhook().register() && mode != CertificateMode.SELF_MANAGED) {
            return;
        }
        settings = WebhookSettings.of(config);
        owner = new ClusterRoleOwner(client, config.webhook().ownerClusterRole());
        if (config.webhook().register()) {
            registration = new WebhookRegistration(client, settings, tls, serving, owner);
        }
        leadership.register(this);
    }

    @Override
    public synchronized void startLeading() {
        LOG.infof("leading webhook certificates (%s) and registration", mode.value());
        work = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-leader");
            t.setDaemon(true);
            return t;
        });
        WebhookRegistration registered = registration;
        if (registered != null) {
            // start() again on every pass until its informer runs: the API server may fail the first list
            work.scheduleWithFixedDelay(safely("registration", () -> {
                registered.start();
                registered.ensure();
            }), 0, 5, TimeUnit.SECONDS);
        }
        if (mode == CertificateMode.SELF_MANAGED) {
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

    @Override
    public synchronized void stopLeading() {
        if (work != null) {
            work.shutdownNow();
            try {
                // a pass still running could start the registration again after the stop() below
                work.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            work = null;
        }
        if (registration != null) {
            registration.stop();
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

package dev.hardening.registration;

import dev.hardening.tls.TlsMaterial;
import dev.hardening.tls.TlsMaterialSource;
import dev.hardening.tls.WebhookServingState;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The leader keeps the ValidatingWebhookConfiguration as {@link WebhookConfigurationFactory} describes it: applied
 * (server-side apply, own field manager, forced) once this replica serves, and re-applied whenever the watched
 * object (field selector on its name) is edited or deleted, or the CA bundle changes. Comparing with the informer's
 * copy first keeps a quiet cluster free of writes.
 */
public final class WebhookRegistration {

    public static final String FIELD_MANAGER = "hardening-operator";
    private static final Logger LOG = Logger.getLogger(WebhookRegistration.class);

    private final KubernetesClient client;
    private final WebhookSettings settings;
    private final TlsMaterialSource tls;
    private final WebhookServingState serving;
    private final Supplier<Optional<OwnerReference>> owner;
    private SharedIndexInformer<ValidatingWebhookConfiguration> informer;
    private boolean subscribed;

    public WebhookRegistration(KubernetesClient client, WebhookSettings settings, TlsMaterialSource tls,
                               WebhookServingState serving, Supplier<Optional<OwnerReference>> owner) {
        this.client = client;
        this.settings = settings;
        this.tls = tls;
        this.serving = serving;
        this.owner = owner;
    }

    public synchronized void start() {
        if (informer != null) {
            return;
        }
        informer = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(settings.configurationName()).inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ValidatingWebhookConfiguration obj) {
                        ensure();
                    }

                    @Override
                    public void onUpdate(ValidatingWebhookConfiguration oldObj, ValidatingWebhookConfiguration newObj) {
                        ensure();
                    }

                    @Override
                    public void onDelete(ValidatingWebhookConfiguration obj, boolean finalStateUnknown) {
                        LOG.warnf("ValidatingWebhookConfiguration %s was deleted; registering it again",
                                settings.configurationName());
                        ensure();
                    }
                });
        if (!subscribed) {
            subscribed = true;
            tls.subscribe(material -> ensure());
        }
    }

    public synchronized void stop() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }

    /** Applies the configuration if this replica serves and the cluster's copy differs. Safe to call any time. */
    public synchronized void ensure() {
        if (informer == null || !serving.serving()) {
            return;
        }
        Optional<TlsMaterial> material = tls.current();
        if (material.isEmpty()) {
            return;
        }
        ValidatingWebhookConfiguration desired =
                WebhookConfigurationFactory.desired(settings, material.get().caBundlePem(), owner.get());
        ValidatingWebhookConfiguration current = registered();
        if (WebhookConfigurationFactory.matches(desired, current)) {
            return;
        }
        try {
            if (current == null && createdNow(desired)) {
                return;
            }
            apply(desired, current);
            LOG.infof("ValidatingWebhookConfiguration %s applied (failurePolicy %s, %s)", settings.configurationName(),
                    settings.failurePolicy(), settings.url().map(u -> "url " + u)
                            .orElse("service " + settings.serviceName() + "." + settings.namespace() + ".svc"));
        } catch (KubernetesClientException e) {
            LOG.errorf("cannot apply ValidatingWebhookConfiguration %s (%d): %s", settings.configurationName(),
                    e.getCode(), e.getMessage());
        }
    }

    private void apply(ValidatingWebhookConfiguration desired, ValidatingWebhookConfiguration current) {
        try {
            client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 415 || current == null) {
                throw e;
            }
            // no server-side apply (the tests' mock API server answers 415): replace at the version we saw
            desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            client.resource(desired).update();
        }
    }

    /**
     * Creates a missing configuration (a plain create; the forced applies that follow take every field over).
     * Server-side apply would create it too, but the mock API server of the tests only applies to existing objects.
     * False when it exists after all (the informer lagged): then it is applied.
     */
    private boolean createdNow(ValidatingWebhookConfiguration desired) {
        try {
            client.resource(desired).create();
            LOG.infof("ValidatingWebhookConfiguration %s created", settings.configurationName());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** The informer's copy; null before the first sync or when absent. */
    ValidatingWebhookConfiguration registered() {
        SharedIndexInformer<ValidatingWebhookConfiguration> now = informer;
        return now == null ? null : now.getStore().getByKey(settings.configurationName());
    }

    /** Whether the registered caBundle holds every one of {@code cas}: the API server trusts them. */
    public boolean trusts(List<X509Certificate> cas) {
        return WebhookConfigurationFactory.registeredCas(registered()).containsAll(cas);
    }
}

package dev.hardening.tls;

import dev.hardening.HardeningConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every replica's TLS material: an informer on the one certificate Secret (by name, so it needs only {@code get},
 * {@code list} and {@code watch} on that Secret). Each usable change is published to the subscribers, which is how
 * the webhook server swaps certificates without restart. Unusable content (missing key, key not matching the
 * certificate) is reported and ignored: the replica keeps serving what it has. Only fingerprints are logged.
 * <p>
 * The informer starts on first use, so a bean that is never asked (tests replace it) never talks to the cluster.
 */
@ApplicationScoped
public class SecretTlsMaterialSource implements TlsMaterialSource {

    private static final Logger LOG = Logger.getLogger(SecretTlsMaterialSource.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String secretName;
    private final List<Subscriber> listeners = new CopyOnWriteArrayList<>();
    private volatile Published current;
    private SharedIndexInformer<Secret> informer;

    @Inject
    public SecretTlsMaterialSource(KubernetesClient client, HardeningConfig config) {
        this(client, config.namespace(), config.certificates().secretName());
    }

    public SecretTlsMaterialSource(KubernetesClient client, String namespace, String secretName) {
        this.client = client;
        this.namespace = namespace;
        this.secretName = secretName;
    }

    @Override
    public Optional<TlsMaterial> current() {
        start();
        Published now = current;
        return now == null ? Optional.empty() : Optional.of(now.material());
    }

    /**
     * The listener gets the current material, then each usable change, each once and in order: a change published
     * while it subscribes reaches it through both paths, and the older of the two must not arrive last.
     */
    @Override
    public void subscribe(Consumer<TlsMaterial> listener) {
        Subscriber subscriber = new Subscriber(listener);
        listeners.add(subscriber);
        start();
        Published now = current;
        if (now != null) {
            subscriber.deliver(now);
        }
    }

    synchronized void start() {
        if (informer != null) {
            return;
        }
        informer = client.secrets().inNamespace(namespace).withName(secretName).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                accept(secret);
            }

            @Override
            public void onUpdate(Secret oldSecret, Secret newSecret) {
                accept(newSecret);
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                LOG.warnf("Secret %s/%s was deleted; still serving the last certificate until it is back",
                        namespace, secretName);
            }
        });
    }

    @PreDestroy
    synchronized void stop() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }

    /**
     * Listeners are called outside this object's lock: they take locks of their own (the webhook registration calls
     * back into {@link #subscribe} under its lock), and calling them while holding ours deadlocked the two.
     */
    private void accept(Secret secret) {
        Published published = adopt(secret);
        if (published != null) {
            listeners.forEach(l -> l.deliver(published));
        }
    }

    /** The material to publish, or {@code null} when the Secret is unusable or unchanged. */
    private synchronized Published adopt(Secret secret) {
        CertificateSecret.Result<TlsMaterial> result = CertificateSecret.tlsMaterial(secret);
        if (result.value().isEmpty()) {
            LOG.errorf("Secret %s/%s cannot be served (%s); still serving the previous certificate",
                    namespace, secretName, result.problem());
            return null;
        }
        TlsMaterial material = result.value().get();
        Published previous = current;
        if (previous != null && material.equals(previous.material())) {
            return null;
        }
        List<String> trust = TlsMaterialCheck.trustProblems(material, Instant.now());
        if (!trust.isEmpty()) {
            LOG.errorf("Secret %s/%s: the API server will reject this certificate: %s", namespace, secretName,
                    String.join("; ", trust));
        }
        current = new Published(previous == null ? 1 : previous.generation() + 1, material);
        LOG.infof("TLS material from Secret %s/%s (serving sha256 %s)", namespace, secretName,
                Pem.fingerprint(Pem.certificates(material.certificateChainPem()).get(0)));
        return current;
    }

    private record Published(long generation, TlsMaterial material) {
    }

    /** One listener, and the newest generation it was given. */
    private static final class Subscriber {
        private final Consumer<TlsMaterial> listener;
        private long seen;

        Subscriber(Consumer<TlsMaterial> listener) {
            this.listener = listener;
        }

        synchronized void deliver(Published published) {
            if (published.generation() > seen) {
                seen = published.generation();
                listener.accept(published.material());
            }
        }
    }
}

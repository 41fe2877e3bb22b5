package dev.hardening.tls;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jboss.logging.Logger;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The leader's half of self-managed mode: one {@link #reconcile()} pass reads the Secret, asks the
 * {@link RotationPlanner} for the next step and writes the result. Writes use the Secret's resourceVersion, so a
 * concurrent writer (a former leader) makes the pass fail and the next pass start over from what is stored.
 */
public final class SelfManagedCertificates {

    private static final Logger LOG = Logger.getLogger(SelfManagedCertificates.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String secretName;
    private final List<String> names;
    private final RotationPlanner planner;
    private final RotationExecutor executor;
    private final Supplier<ServedFingerprints> served;
    private final Predicate<List<X509Certificate>> trustedByApiServer;
    private final Supplier<Optional<OwnerReference>> owner;
    private final Clock clock;

    public SelfManagedCertificates(KubernetesClient client, String namespace, String secretName, List<String> names,
                                   RotationPlanner planner, RotationExecutor executor, Supplier<ServedFingerprints> served,
                                   Predicate<List<X509Certificate>> trustedByApiServer,
                                   Supplier<Optional<OwnerReference>> owner, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.secretName = secretName;
        this.names = List.copyOf(names);
        this.planner = planner;
        this.executor = executor;
        this.served = served;
        this.trustedByApiServer = trustedByApiServer;
        this.owner = owner;
        this.clock = clock;
    }

    public RotationAction reconcile() {
        Secret stored = client.secrets().inNamespace(namespace).withName(secretName).get();
        Optional<CertificateState> state = CertificateSecret.state(stored);
        if (stored != null && state.isEmpty()) {
            LOG.warnf("Secret %s/%s does not hold complete self-managed certificates; issuing new ones", namespace, secretName);
        }
        boolean registered = state.isPresent() && trustedByApiServer.test(state.get().trustedCas());
        ServedFingerprints fingerprints = needsServedFingerprints(state) ? served.get() : ServedFingerprints.unknown();
        RotationAction action = planner.plan(state, registered, fingerprints, names, clock.instant());
        if (!action.changesSecret()) {
            LOG.debugf("certificates: %s", action.reason());
            return action;
        }
        CertificateState next = executor.apply(state, action, names, clock.instant());
        Secret desired = CertificateSecret.build(namespace, secretName, next, action, owner.get());
        if (stored == null) {
            client.resource(desired).create();
        } else {
            desired.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
            desired.getMetadata().setLabels(merged(stored.getMetadata().getLabels(), desired.getMetadata().getLabels()));
            desired.getMetadata().setAnnotations(merged(stored.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations()));
            client.resource(desired).update();
        }
        LOG.infof("certificates: %s (%s); serving sha256 %s, %d CA(s) trusted", action.kind(), action.reason(),
                next.serving().fingerprint(), next.trustedCas().size());
        return action;
    }

    /** Probing replicas costs a handshake each; only the step that drops an old CA needs it. */
    private static boolean needsServedFingerprints(Optional<CertificateState> state) {
        return state.isPresent() && state.get().trustedCas().size() > 1;
    }

    private static Map<String, String> merged(Map<String, String> stored, Map<String, String> ours) {
        Map<String, String> out = new LinkedHashMap<>();
        if (stored != null) {
            out.putAll(stored);
        }
        out.putAll(ours);
        return out;
    }
}

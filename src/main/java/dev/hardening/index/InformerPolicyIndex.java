package dev.hardening.index;

import dev.hardening.HardeningConfig;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.FieldError;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.engine.PolicyIndex;
import dev.hardening.policy.PolicyRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every replica's view of the HardeningPolicies (not only the leader's): an informer on all namespaces; each event
 * recompiles that one policy and swaps in a new immutable {@link PolicySnapshot}. Invalid policies are left out
 * (the reconciler reports why in their status). Not {@link #ready()} until the informer has listed every policy.
 * The informer starts at startup ({@link PolicyIndexStartup}) or on first use, whichever comes first; in tests only on
 * first use, so a bean tests replace never talks to a cluster.
 */
@ApplicationScoped
public class InformerPolicyIndex implements PolicyIndex {

    private static final Logger LOG = Logger.getLogger(InformerPolicyIndex.class);

    private final KubernetesClient client;
    private final String defaultNamespace;
    private final Map<PolicyRef, CompiledPolicy> compiled = new HashMap<>();
    /** uid and generation last compiled per policy: status writes change neither, and need no recompilation. */
    private final Map<PolicyRef, String> generations = new HashMap<>();
    private volatile PolicySnapshot snapshot = PolicySnapshot.EMPTY;
    private volatile boolean synced;
    /** Volatile so that the admission path checks "started?" without taking the lock. */
    private volatile SharedIndexInformer<HardeningPolicy> informer;
    /** Told after every change of the snapshot (the leader's report sweep); must not block. */
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Inject
    public InformerPolicyIndex(KubernetesClient client, HardeningConfig config) {
        this(client, config.namespace());
    }

    public InformerPolicyIndex(KubernetesClient client, String defaultNamespace) {
        this.client = client;
        this.defaultNamespace = defaultNamespace;
    }

    @Override
    public List<CompiledPolicy> policiesFor(String namespace) {
        start();
        return snapshot.policiesFor(namespace);
    }

    @Override
    public boolean ready() {
        start();
        return synced;
    }

    /** The current snapshot, for the background audit. */
    public PolicySnapshot snapshot() {
        start();
        return snapshot;
    }

    /** Runs {@code listener} after each change of the policies (quickly: it runs on the informer's thread). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** Whether the informer holds this policy, valid or not. */
    public synchronized boolean known(PolicyRef ref) {
        return generations.containsKey(ref);
    }

    void start() {
        if (informer == null) {
            startOnce();
        }
    }

    private synchronized void startOnce() {
        if (informer != null) {
            return;
        }
        SharedIndexInformer<HardeningPolicy> created = client.resources(HardeningPolicy.class).inAnyNamespace().runnableInformer(0);
        created.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(HardeningPolicy policy) {
                upsert(policy);
            }

            @Override
            public void onUpdate(HardeningPolicy oldPolicy, HardeningPolicy newPolicy) {
                upsert(newPolicy);
            }

            @Override
            public void onDelete(HardeningPolicy policy, boolean finalStateUnknown) {
                remove(policy.ref());
            }
        });
        informer = created;
        created.start().thenRun(this::resync).exceptionally(e -> {
            LOG.errorf("HardeningPolicy informer failed to start (is the CRD installed?): %s; retrying on the next probe",
                    e.getMessage());
            stop();
            return null;
        });
    }

    /** After the initial list: rebuild from the informer's store, which already holds every policy. */
    private synchronized void resync() {
        compiled.clear();
        generations.clear();
        for (HardeningPolicy policy : informer.getStore().list()) {
            compile(policy);
        }
        publish();
        synced = true;
        LOG.infof("HardeningPolicy index synced: %d valid policies", compiled.size());
    }

    private synchronized void upsert(HardeningPolicy policy) {
        if (version(policy).equals(generations.get(policy.ref()))) {
            return;
        }
        compile(policy);
        publish();
    }

    private synchronized void remove(PolicyRef ref) {
        boolean known = generations.remove(ref) != null;
        if (compiled.remove(ref) != null || known) {
            publish();
        }
    }

    private void compile(HardeningPolicy policy) {
        generations.put(policy.ref(), version(policy));
        PolicyCompiler.Compilation compilation = PolicyCompiler.compile(policy);
        if (compilation.valid()) {
            compiled.put(policy.ref(), compilation.policy());
        } else {
            compiled.remove(policy.ref());
            LOG.warnf("HardeningPolicy %s is invalid and not enforced: %s", policy.ref(), FieldError.join(compilation.errors()));
        }
    }

    private static String version(HardeningPolicy policy) {
        return policy.getMetadata().getUid() + "/" + policy.generation();
    }

    private void publish() {
        snapshot = PolicySnapshot.of(compiled.values(), defaultNamespace);
        listeners.forEach(Runnable::run);
    }

    @PreDestroy
    synchronized void stop() {
        if (informer != null) {
            informer.close();
            informer = null;
            synced = false;
        }
    }
}

package dev.hardening.testing;

import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.PolicyIndex;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Replaces the informer-fed index in webhook tests: the tests say which policies a namespace has. */
@Alternative
@ApplicationScoped
public class TestPolicyIndex implements PolicyIndex {

    private final Map<String, List<CompiledPolicy>> byNamespace = new ConcurrentHashMap<>();
    private volatile boolean ready = true;

    public void set(String namespace, CompiledPolicy... policies) {
        byNamespace.put(namespace, List.of(policies));
    }

    public void clear() {
        byNamespace.clear();
        ready = true;
    }

    public void ready(boolean ready) {
        this.ready = ready;
    }

    @Override
    public List<CompiledPolicy> policiesFor(String namespace) {
        return byNamespace.getOrDefault(namespace, List.of());
    }

    @Override
    public boolean ready() {
        return ready;
    }
}

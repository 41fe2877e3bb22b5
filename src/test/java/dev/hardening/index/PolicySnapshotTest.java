package dev.hardening.index;

import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.testing.PolicyYaml;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicySnapshotTest {

    static CompiledPolicy policy(String namespace, String name) {
        return PolicyCompiler.compile(PolicyYaml.policy(namespace, name, "profile: Baseline")).policy();
    }

    @Test
    void ownPoliciesWinOverTheClusterDefault() {
        CompiledPolicy fallback = policy("hardening-system", "default");
        CompiledPolicy b = policy("payments", "b");
        CompiledPolicy a = policy("payments", "a");
        PolicySnapshot snapshot = PolicySnapshot.of(List.of(fallback, b, a), "hardening-system");
        assertThat(snapshot.policiesFor("payments")).containsExactly(a, b);
        assertThat(snapshot.policiesFor("web")).containsExactly(fallback);
        assertThat(snapshot.namespacesWithPolicies()).containsExactlyInAnyOrder("payments", "hardening-system");
    }

    @Test
    void withoutClusterDefaultOtherNamespacesHaveNoPolicy() {
        PolicySnapshot snapshot = PolicySnapshot.of(List.of(policy("payments", "a")), "hardening-system");
        assertThat(snapshot.policiesFor("web")).isEmpty();
        assertThat(PolicySnapshot.EMPTY.policiesFor("payments")).isEmpty();
    }
}

package dev.hardening.rules.release;

import dev.hardening.rules.PodTarget;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Builds rule inputs from short YAML in the tests. */
final class Manifests {

    private Manifests() {
    }

    /** A Pod whose {@code spec:} is {@code podSpec} (YAML at pod-spec level). */
    static PodTarget pod(String podSpec) {
        return target("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n" + podSpec.indent(2));
    }

    /** A Deployment whose pod template {@code spec:} is {@code podSpec}. */
    static PodTarget deployment(String podSpec) {
        return target("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n"
                + podSpec.indent(6));
    }

    static PodTarget target(String yaml) {
        HasMetadata object = Serialization.unmarshal(yaml);
        return PodTarget.of(WorkloadKind.ofKind(object.getKind()).orElseThrow(), object);
    }
}

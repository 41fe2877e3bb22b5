package dev.hardening.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** Small workloads for audit tests: privileged or not (no-privileged is a Baseline rule). */
public final class Workloads {

    private Workloads() {
    }

    public static Pod pod(String namespace, String name, boolean privileged) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.example.com/app:1")
                .withNewSecurityContext().withPrivileged(privileged).endSecurityContext().endContainer().endSpec()
                .build();
    }

    public static Pod ownedPod(String namespace, String name, String ownerKind) {
        Pod pod = pod(namespace, name, true);
        pod.getMetadata().getOwnerReferences().add(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                .withApiVersion("apps/v1").withKind(ownerKind).withName("owner").withUid("u1").withController(true).build());
        return pod;
    }

    public static Deployment deployment(String namespace, String name, boolean privileged) {
        return new DeploymentBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.example.com/app:1")
                .withNewSecurityContext().withPrivileged(privileged).endSecurityContext().endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}

package dev.hardening.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Mirror pods: the API server's copies of a node's static pods, which the kubelet runs whatever the API server
 * answers. Only the node itself may claim one: anyone who may create Pods can write the annotation, so from anyone
 * else it changes nothing.
 */
final class MirrorPods {

    static final String ANNOTATION = "kubernetes.io/config.mirror";
    static final String NODES_GROUP = "system:nodes";
    static final String NODE_USER_PREFIX = "system:node:";

    private MirrorPods() {
    }

    static boolean annotated(HasMetadata object) {
        return object.getMetadata() != null && object.getMetadata().getAnnotations() != null
                && object.getMetadata().getAnnotations().containsKey(ANNOTATION);
    }

    /** The request comes from the kubelet of the node the pod is bound to: {@code system:node:<spec.nodeName>}. */
    static boolean fromItsNode(UserInfo user, Pod pod) {
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return nodeName != null && !nodeName.isEmpty() && user.inGroup(NODES_GROUP)
                && user.username().equals(NODE_USER_PREFIX + nodeName);
    }
}

package dev.hardening.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Only the kubelet of the Pod's own node may claim a mirror pod; the identity comes from the review's userInfo. */
class MirrorPodsTest {

    private static Pod pod(String nodeName) {
        return new PodBuilder().withNewMetadata().withName("etcd-node1")
                .addToAnnotations(MirrorPods.ANNOTATION, "9c4d1b2e6f").endMetadata()
                .withNewSpec().withNodeName(nodeName).endSpec().build();
    }

    @ParameterizedTest(name = "{0} in [{1}] for node {2}: {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "system:node:node1|system:nodes,system:authenticated|node1|true",
            "system:node:node2|system:nodes,system:authenticated|node1|false",
            "system:node:node1|system:authenticated|node1|false",
            "alice@example.com|system:nodes|node1|false",
            "system:node:|system:nodes|''|false",
            "system:node:|system:nodes|NULL|false",
            "system:node:node1|system:nodes|NULL|false"})
    void onlyTheNodeItselfMayClaimAMirrorPod(String username, String groups, String nodeName, boolean honoured) {
        UserInfo user = new UserInfo(username, Arrays.asList(groups.split(",")));

        assertThat(MirrorPods.fromItsNode(user, pod(nodeName))).isEqualTo(honoured);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "'{\"username\":\"system:node:n1\",\"groups\":[\"system:nodes\"]}'|system:node:n1|system:nodes",
            "'{\"username\":7,\"groups\":[\"system:nodes\",3,null]}'|''|system:nodes",
            "'{\"groups\":\"system:nodes\"}'|''|''",
            "'\"system:node:n1\"'|''|''"})
    void userInfoIsReadFromTheReviewAndOddTypesCountAsAbsent(String userInfo, String username, String groups)
            throws BadReviewException {
        String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u1\","
                + "\"userInfo\":" + userInfo + "}}";

        UserInfo user = AdmissionReviewCodec.parse(review.getBytes(StandardCharsets.UTF_8)).user();

        assertThat(user.username()).isEqualTo(username);
        assertThat(user.groups()).isEqualTo(groups.isEmpty() ? List.of() : List.of(groups.split(",")));
    }
}

package dev.hardening.rules;

import dev.hardening.testing.Yaml;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Which directions the NetworkPolicies isolate for a Pod of namespace {@code shop}, with Kubernetes' semantics,
 * including the cases other checkers got wrong (each named after its issue).
 */
class NetworkPoliciesTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "frontend");

    static Stream<Arguments> scenarios() {
        return Stream.of(
                scenario("no policy isolates nothing", WEB, List.of(), Set.of()),
                scenario("kube-score#293: podSelector {} selects every Pod", WEB,
                        List.of(policy("shop", "podSelector: {}\npolicyTypes: [Ingress]\ningress:\n- from:\n  - podSelector: {}")),
                        Set.of("Ingress")),
                scenario("kube-score#420: an omitted podSelector is the empty one and selects every Pod, even unlabelled ones",
                        Map.of(), List.of(policy("shop", "policyTypes: [Ingress, Egress]")), Set.of("Ingress", "Egress")),
                scenario("polaris#1088: a rule-less default deny counts for its policyTypes", WEB,
                        List.of(policy("shop", "podSelector: {}\npolicyTypes: [Ingress, Egress]")), Set.of("Ingress", "Egress")),
                scenario("checkov#7474: a policy of another namespace covers nothing here", WEB,
                        List.of(policy("other", "podSelector: {}\npolicyTypes: [Ingress, Egress]")), Set.of()),
                scenario("policyTypes unset without egress rules: Ingress only", WEB,
                        List.of(policy("shop", "podSelector: {}")), Set.of("Ingress")),
                scenario("policyTypes unset with egress rules: Ingress and Egress", WEB,
                        List.of(policy("shop", "podSelector: {}\negress:\n- to:\n  - podSelector: {}")), Set.of("Ingress", "Egress")),
                scenario("explicit Egress only isolates egress only", WEB,
                        List.of(policy("shop", "podSelector: {}\npolicyTypes: [Egress]")), Set.of("Egress")),
                scenario("matchLabels: every label must match", WEB,
                        List.of(policy("shop", "podSelector:\n  matchLabels: {app: web, tier: backend}\npolicyTypes: [Ingress]")),
                        Set.of()),
                scenario("matchLabels: a subset of the Pod's labels selects it", WEB,
                        List.of(policy("shop", "podSelector:\n  matchLabels: {app: web}\npolicyTypes: [Ingress]")),
                        Set.of("Ingress")),
                scenario("matchExpressions In", WEB, List.of(policy("shop", expression("app", "In", "[web, api]"))), Set.of("Ingress")),
                scenario("matchExpressions In, value not listed", WEB, List.of(policy("shop", expression("app", "In", "[api]"))), Set.of()),
                scenario("matchExpressions NotIn selects a Pod without the key", WEB,
                        List.of(policy("shop", expression("team", "NotIn", "[payments]"))), Set.of("Ingress")),
                scenario("matchExpressions NotIn excludes a listed value", WEB,
                        List.of(policy("shop", expression("app", "NotIn", "[web]"))), Set.of()),
                scenario("matchExpressions Exists", WEB, List.of(policy("shop", expression("tier", "Exists", null))), Set.of("Ingress")),
                scenario("matchExpressions DoesNotExist", WEB,
                        List.of(policy("shop", expression("tier", "DoesNotExist", null))), Set.of()),
                scenario("matchLabels and matchExpressions must both hold", WEB, List.of(policy("shop", """
                        podSelector:
                          matchLabels: {app: web}
                          matchExpressions:
                          - {key: tier, operator: In, values: [backend]}
                        policyTypes: [Ingress]""")), Set.of()),
                scenario("two policies add up their directions", WEB, List.of(
                        policy("shop", "podSelector:\n  matchLabels: {app: web}\npolicyTypes: [Ingress]"),
                        policy("shop", "podSelector: {}\npolicyTypes: [Egress]")), Set.of("Ingress", "Egress")));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void isolatedDirections(Map<String, String> labels, List<NetworkPolicy> policies, Set<String> isolated) {
        assertThat(NetworkPolicies.of(policies, "default").isolated("shop", labels)).containsExactlyInAnyOrderElementsOf(isolated);
    }

    private static Arguments scenario(String name, Map<String, String> labels, List<NetworkPolicy> policies, Set<String> isolated) {
        return arguments(Named.of(name, labels), new ArrayList<>(policies), isolated);
    }

    private static String expression(String key, String operator, String values) {
        return "podSelector:\n  matchExpressions:\n  - {key: " + key + ", operator: " + operator
                + (values == null ? "" : ", values: " + values) + "}\npolicyTypes: [Ingress]";
    }

    static NetworkPolicy policy(String namespace, String spec) {
        return Yaml.object("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: "
                + namespace + "\nspec:\n" + spec.indent(2), NetworkPolicy.class);
    }
}

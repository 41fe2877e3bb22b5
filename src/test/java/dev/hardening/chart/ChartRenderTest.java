package dev.hardening.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.hardening.chart.ChartRenderer.ofKind;
import static dev.hardening.chart.ChartRenderer.ofType;
import static dev.hardening.chart.ChartRenderer.render;
import static dev.hardening.chart.ChartRenderer.renderError;
import static dev.hardening.chart.ChartRenderer.sets;
import static org.assertj.core.api.Assertions.assertThat;

class ChartRenderTest {

    private static final String PLACEHOLDER_DIGEST = "sha256:" + "0".repeat(64);
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void defaultsRenderTheHardenedOperatorAndNothingOptional() {
        List<HasMetadata> objects = render();

        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactlyInAnyOrder(
                "PodDisruptionBudget/hardening-operator", "ServiceAccount/hardening-operator",
                "ConfigMap/hardening-operator", "ClusterRole/hardening-operator", "ClusterRole/hardening-operator-view",
                "ClusterRoleBinding/hardening-operator", "Role/hardening-operator", "RoleBinding/hardening-operator",
                "Service/hardening-operator", "Deployment/hardening-operator",
                "CustomResourceDefinition/hardeningpolicies.hardening.dev", "CustomResourceDefinition/imagescans.hardening.dev",
                "ClusterRole/hardening-operator-scan-writer");
        assertThat(objects).filteredOn(o -> !o.getKind().startsWith("Cluster") && !o.getKind().equals("CustomResourceDefinition"))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE));

        Deployment deployment = deployment(objects);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                .extracting(c -> c.getTopologyKey())
                .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(operator.getImage()).isEqualTo("registry.example.com/hardening/hardening-operator@" + PLACEHOLDER_DIGEST);
        assertThat(operator.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
                .containsExactly("webhook=8443", "management=9000");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(operator.getEnv()).as("settings come from the ConfigMap, never env literals").isNullOrEmpty();
        assertThat(operator.getEnvFrom()).singleElement()
                .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("hardening-operator"));

        Service service = ofType(objects, Service.class).get(0);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(443);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("webhook");
        });

        assertThat(config(objects)).containsEntry("HARDENING_NAMESPACE", "hardening-system")
                .containsEntry("HARDENING_WEBHOOK_FAILURE_POLICY", "Fail")
                .containsEntry("HARDENING_WEBHOOK_TIMEOUT_SECONDS", "5")
                .containsEntry("HARDENING_WEBHOOK_OWNER_CLUSTER_ROLE", "hardening-operator")
                .containsEntry("HARDENING_CERTIFICATES_MODE", "self-managed")
                .containsEntry("HARDENING_CERTIFICATES_SECRET_NAME", "hardening-operator-tls")
                .containsEntry("HARDENING_AUDIT_INTERVAL", "10m")
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true")
                .containsEntry("HARDENING_WEBHOOK_CONTROLLER_CHILDREN", "Trust")
                .doesNotContainKey("HARDENING_WEBHOOK_CONTROLLER_USERNAMES")
                .doesNotContainKey("HARDENING_WEBHOOK_EXCLUDED_NAMESPACES");

        // the cluster-default policy: the operator keeps it from these settings
        assertThat(config(objects)).containsEntry("HARDENING_DEFAULT_POLICY_ENABLED", "true")
                .containsEntry("HARDENING_DEFAULT_POLICY_NAME", "cluster-default")
                .containsEntry("HARDENING_DEFAULT_POLICY_PROFILE", "Hardened")
                .containsEntry("HARDENING_DEFAULT_POLICY_MODE", "Warn");
    }

    @Test
    void onlyViewIsAggregatedNeverEditOrAdmin() {
        ClusterRole view = ofType(render(), ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().equals("hardening-operator-view")).findFirst().orElseThrow();

        assertThat(view.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true")
                .doesNotContainKeys("rbac.authorization.k8s.io/aggregate-to-edit", "rbac.authorization.k8s.io/aggregate-to-admin");
        assertThat(view.getRules()).flatExtracting(PolicyRule::getVerbs).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(render()).filteredOn(o -> o.getMetadata().getLabels() != null)
                .noneMatch(o -> o.getMetadata().getLabels().containsKey("rbac.authorization.k8s.io/aggregate-to-edit")
                        || o.getMetadata().getLabels().containsKey("rbac.authorization.k8s.io/aggregate-to-admin"));
    }

    static Stream<Arguments> nonDefaultValues() {
        return Stream.of(
                scenario("one replica: no PodDisruptionBudget (it would block every drain)", sets("replicas", 1), objects -> {
                    assertThat(ofKind(objects, "PodDisruptionBudget")).isEmpty();
                    assertThat(deployment(objects).getSpec().getReplicas()).isEqualTo(1);
                }),
                scenario("three replicas keep the PodDisruptionBudget", sets("replicas", 3),
                        objects -> assertThat(ofKind(objects, "PodDisruptionBudget")).hasSize(1)),
                scenario("networkPolicy on: webhook and metrics ingress, DNS and API server egress",
                        sets("networkPolicy.enabled", true,
                                "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name", "monitoring"), objects -> {
                            NetworkPolicy policy = ofType(objects, NetworkPolicy.class).get(0);
                            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
                            assertThat(policy.getSpec().getIngress()).hasSize(2);
                            assertThat(policy.getSpec().getIngress().get(0).getFrom()).as("any source may call the webhook").isNullOrEmpty();
                            assertThat(policy.getSpec().getIngress().get(1).getFrom()).hasSize(1);
                            assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts())
                                    .extracting(p -> p.getPort().getIntVal()).containsExactly(53, 53, 443, 6443);
                        }),
                scenario("serviceMonitor on: metrics Service and ServiceMonitor on /q/metrics",
                        sets("serviceMonitor.enabled", true, "serviceMonitor.labels.release", "prometheus"), objects -> {
                            GenericKubernetesResource monitor = (GenericKubernetesResource) ofKind(objects, "ServiceMonitor").get(0);
                            assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
                            assertThat(monitor.get("spec", "endpoints", 0, "path").toString()).isEqualTo("/q/metrics");
                            assertThat(ofType(objects, Service.class)).extracting(s -> s.getMetadata().getName())
                                    .containsExactlyInAnyOrder("hardening-operator", "hardening-operator-metrics");
                        }),
                scenario("cert-manager mode: private CA chain and the serving Certificate into the operator's Secret",
                        sets("certificates.mode", "cert-manager"), objects -> {
                            assertThat(objects).filteredOn(o -> o.getApiVersion().startsWith("cert-manager.io/"))
                                    .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                                    .containsExactlyInAnyOrder("Issuer/hardening-operator-selfsigned", "Certificate/hardening-operator-ca",
                                            "Issuer/hardening-operator-ca", "Certificate/hardening-operator-serving");
                            GenericKubernetesResource serving = certificate(objects, "hardening-operator-serving");
                            assertThat(serving.get("spec", "secretName").toString()).isEqualTo("hardening-operator-tls");
                            assertThat(serving.get("spec", "privateKey").toString())
                                    .isEqualTo("{algorithm=ECDSA, size=256, rotationPolicy=Always}");
                            assertThat(serving.get("spec", "duration") + "/" + serving.get("spec", "renewBefore")).isEqualTo("2160h/720h");
                            assertThat((List<Object>) serving.get("spec", "dnsNames")).contains((Object) "hardening-operator.hardening-system.svc");
                            assertThat(config(objects)).containsEntry("HARDENING_CERTIFICATES_MODE", "cert-manager")
                                    .containsEntry("HARDENING_CERTIFICATES_INJECT_CA_FROM", "hardening-system/hardening-operator-serving");
                            assertThat(secretVerbs(objects)).containsExactlyInAnyOrder("get", "list", "watch");
                        }),
                scenario("cert-manager mode without cainjector: the operator copies ca.crt into caBundle",
                        sets("certificates.mode", "cert-manager", "certificates.certManager.injectCA", false),
                        objects -> assertThat(config(objects)).containsEntry("HARDENING_CERTIFICATES_MODE", "cert-manager")
                                .doesNotContainKey("HARDENING_CERTIFICATES_INJECT_CA_FROM")),
                scenario("cert-manager mode with your ClusterIssuer: only the serving Certificate",
                        sets("certificates.mode", "cert-manager", "certificates.certManager.issuerRef.name", "corp-ca",
                                "certificates.certManager.issuerRef.kind", "ClusterIssuer"), objects -> {
                            assertThat(objects).filteredOn(o -> o.getApiVersion().startsWith("cert-manager.io/"))
                                    .extracting(HasMetadata::getKind).containsExactly("Certificate");
                            GenericKubernetesResource serving = certificate(objects, "hardening-operator-serving");
                            assertThat(serving.get("spec", "issuerRef", "name").toString()).isEqualTo("corp-ca");
                            assertThat(serving.get("spec", "issuerRef", "kind").toString()).isEqualTo("ClusterIssuer");
                        }),
                scenario("external mode: the operator reads your Secret and can create none",
                        sets("certificates.mode", "external", "certificates.external.secretName", "my-webhook-tls"), objects -> {
                            assertThat(objects).noneMatch(o -> o.getApiVersion().startsWith("cert-manager.io/"));
                            assertThat(config(objects)).containsEntry("HARDENING_CERTIFICATES_SECRET_NAME", "my-webhook-tls")
                                    .containsEntry("HARDENING_CERTIFICATES_MODE", "external");
                            Role role = ofType(objects, Role.class).get(0);
                            assertThat(role.getRules()).filteredOn(r -> r.getResources().contains("secrets")).singleElement()
                                    .satisfies(r -> assertThat(r.getResourceNames()).containsExactly("my-webhook-tls"));
                            assertThat(secretVerbs(objects)).containsExactlyInAnyOrder("get", "list", "watch");
                        }),
                scenario("webhook settings reach the operator",
                        sets("webhook.failurePolicy", "Ignore", "webhook.timeoutSeconds", 10,
                                "webhook.excludedNamespaces[0]", "monitoring", "webhook.excludedNamespaces[1]", "istio-system", "audit.interval", "1h",
                                "logging.format", "text", "logging.level", "DEBUG", "webhook.controllerChildren", "Judge",
                                "webhook.controllerUsernames[0]", "system:serviceaccount:kube-system:rs",
                                "webhook.controllerUsernames[1]", "system:k3s-controller"),
                        objects -> assertThat(config(objects)).containsEntry("HARDENING_WEBHOOK_FAILURE_POLICY", "Ignore")
                                .containsEntry("HARDENING_WEBHOOK_CONTROLLER_CHILDREN", "Judge")
                                .containsEntry("HARDENING_WEBHOOK_CONTROLLER_USERNAMES",
                                        "system:serviceaccount:kube-system:rs,system:k3s-controller")
                                .containsEntry("HARDENING_WEBHOOK_TIMEOUT_SECONDS", "10")
                                .containsEntry("HARDENING_WEBHOOK_EXCLUDED_NAMESPACES", "monitoring,istio-system")
                                .containsEntry("HARDENING_AUDIT_INTERVAL", "1h")
                                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false")
                                .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG")),
                scenario("cluster-default policy from values: settings of the operator, which keeps it",
                        sets("defaultPolicy.profile", "Restricted", "defaultPolicy.mode", "Enforce", "defaultPolicy.name", "baseline"),
                        objects -> {
                            assertThat(ofKind(objects, "HardeningPolicy")).as("Helm cannot template it next to its CRD").isEmpty();
                            assertThat(config(objects)).containsEntry("HARDENING_DEFAULT_POLICY_ENABLED", "true")
                                    .containsEntry("HARDENING_DEFAULT_POLICY_NAME", "baseline")
                                    .containsEntry("HARDENING_DEFAULT_POLICY_PROFILE", "Restricted")
                                    .containsEntry("HARDENING_DEFAULT_POLICY_MODE", "Enforce");
                        }),
                scenario("no cluster-default policy", sets("defaultPolicy.enabled", false),
                        objects -> assertThat(config(objects)).containsEntry("HARDENING_DEFAULT_POLICY_ENABLED", "false")),
                scenario("digest with a tag for humans", sets("image.digest", DIGEST, "image.tag", "0.1.0"),
                        objects -> assertThat(image(objects))
                                .isEqualTo("registry.example.com/hardening/hardening-operator:0.1.0@" + DIGEST)),
                scenario("tag only, explicitly allowed", sets("image.digest", "", "image.tag", "dev", "image.allowTag", true),
                        objects -> assertThat(image(objects)).isEqualTo("registry.example.com/hardening/hardening-operator:dev")),
                scenario("strict spreading and scheduling values",
                        sets("topologySpread.whenUnsatisfiable", "DoNotSchedule", "priorityClassName", "system-cluster-critical",
                                "nodeSelector.kubernetes\\.io/os", "linux"), objects -> {
                            var pod = deployment(objects).getSpec().getTemplate().getSpec();
                            assertThat(pod.getTopologySpreadConstraints()).allSatisfy(
                                    c -> assertThat(c.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule"));
                            assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
                            assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonDefaultValues")
    void nonDefaultValues(Map<String, Object> sets, Consumer<List<HasMetadata>> expectation) {
        expectation.accept(render(sets));
    }

    static Stream<Arguments> refusedValues() {
        return Stream.of(
                refused("a tag without a digest", sets("image.digest", "", "image.tag", "1.0"),
                        "image.digest is empty and image.tag is \"1.0\"", "pins the operator image by digest", "image.allowTag=true"),
                refused("neither digest nor tag", sets("image.digest", ""), "image.digest is empty: set image.digest=sha256:"),
                refused("external mode without a Secret", sets("certificates.mode", "external"),
                        "certificates.external.secretName is required when certificates.mode is external"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedValues")
    void refusedValuesFailWithAMessageThatSaysWhy(Map<String, Object> sets, List<String> expectedFragments) {
        assertThat(renderError(sets)).hasValueSatisfying(message -> assertThat(message).contains(expectedFragments));
    }

    private static Arguments scenario(String name, Map<String, Object> sets, Consumer<List<HasMetadata>> expectation) {
        return Arguments.of(Named.of(name, sets), expectation);
    }

    private static Arguments refused(String name, Map<String, Object> sets, String... fragments) {
        return Arguments.of(Named.of(name, sets), List.of(fragments));
    }

    private static Deployment deployment(List<HasMetadata> objects) {
        return ofType(objects, Deployment.class).get(0);
    }

    private static String image(List<HasMetadata> objects) {
        return deployment(objects).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static Map<String, String> config(List<HasMetadata> objects) {
        return ofType(objects, ConfigMap.class).get(0).getData();
    }

    private static List<String> secretVerbs(List<HasMetadata> objects) {
        return ofType(objects, Role.class).get(0).getRules().stream()
                .filter(r -> r.getResources().contains("secrets")).flatMap(r -> r.getVerbs().stream()).toList();
    }

    private static GenericKubernetesResource certificate(List<HasMetadata> objects, String name) {
        return (GenericKubernetesResource) ofKind(objects, "Certificate").stream()
                .filter(c -> c.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }
}

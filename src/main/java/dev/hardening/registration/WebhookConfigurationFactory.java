package dev.hardening.registration;

import dev.hardening.rules.WorkloadKind;
import dev.hardening.tls.Pem;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** The ValidatingWebhookConfiguration the leader keeps in place. Pure. */
public final class WebhookConfigurationFactory {

    /** The admission endpoint: where the configuration sends the API server and where the webhook serves. */
    public static final String PATH = "/validate";
    /** Label set by the API server on every namespace, equal to its name: a namespace owner cannot forge it. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    /** cert-manager's cainjector writes the CA of the Certificate named here into every webhook's caBundle. */
    public static final String INJECT_CA_FROM = "cert-manager.io/inject-ca-from";

    private WebhookConfigurationFactory() {
    }

    /**
     * With {@link WebhookSettings#injectCaFrom()} the configuration names the Certificate for cainjector and leaves
     * caBundle out: server-side apply then leaves cainjector's caBundle alone, and the two never take turns.
     */
    public static ValidatingWebhookConfiguration desired(WebhookSettings settings, String caBundlePem,
                                                         Optional<OwnerReference> owner) {
        ValidatingWebhook webhook = new ValidatingWebhookBuilder()
                .withName(WebhookSettings.WEBHOOK_NAME)
                .withClientConfig(clientConfig(settings, caBundlePem))
                .withRules(rules())
                .withMatchPolicy("Equivalent")
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(settings.timeoutSeconds())
                .withFailurePolicy(settings.failurePolicy().name())
                .withNamespaceSelector(namespaceSelector(settings))
                .withMatchConditions(TrustedControllersCondition.of(settings))
                .build();
        return new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(settings.configurationName())
                .addToLabels("app.kubernetes.io/managed-by", "hardening-operator")
                .withAnnotations(settings.injectCaFrom().map(from -> Map.of(INJECT_CA_FROM, from)).orElse(null))
                .withOwnerReferences(owner.map(List::of).orElse(List.of()))
                .endMetadata()
                .withWebhooks(webhook)
                .build();
    }

    /**
     * Pods, their ephemeral containers, and every kind that carries a pod template: the kinds of {@link WorkloadKind},
     * the one list of what admission judges, grouped by API group.
     */
    static List<RuleWithOperations> rules() {
        List<RuleWithOperations> rules = new ArrayList<>(List.of(
                rule("", List.of("CREATE", "UPDATE"), WorkloadKind.POD.resource()),
                rule("", List.of("UPDATE"), WorkloadKind.POD.resource() + "/ephemeralcontainers")));
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (WorkloadKind kind : WorkloadKind.values()) {
            if (kind != WorkloadKind.POD) {
                byGroup.computeIfAbsent(kind.group(), g -> new ArrayList<>()).add(kind.resource());
            }
        }
        byGroup.forEach((group, resources) -> rules.add(rule(group, List.of("CREATE", "UPDATE"), resources.toArray(String[]::new))));
        return rules;
    }

    private static RuleWithOperations rule(String group, List<String> operations, String... resources) {
        return new RuleWithOperationsBuilder().withApiGroups(group).withApiVersions("v1")
                .withOperations(operations).withResources(resources).withScope("Namespaced").build();
    }

    /** The namespaces the API server never sends to the webhook: {@link WebhookSettings#neverAdmittedNamespaces()}. */
    static LabelSelector namespaceSelector(WebhookSettings settings) {
        return new LabelSelectorBuilder().addNewMatchExpression()
                .withKey(NAMESPACE_NAME_LABEL).withOperator("NotIn")
                .withValues(new ArrayList<>(settings.neverAdmittedNamespaces()))
                .endMatchExpression().build();
    }

    private static WebhookClientConfig clientConfig(WebhookSettings settings, String caBundlePem) {
        WebhookClientConfigBuilder builder = new WebhookClientConfigBuilder();
        if (settings.injectCaFrom().isEmpty()) {
            builder.withCaBundle(Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.US_ASCII)));
        }
        if (settings.url().isPresent()) {
            return builder.withUrl(settings.url().get()).build();
        }
        return builder.withNewService().withNamespace(settings.namespace()).withName(settings.serviceName())
                .withPath(PATH).withPort(443).endService().build();
    }

    /**
     * Whether {@code actual} already says what {@code desired} says, field by field for the fields this operator
     * sets (the API server adds defaults, such as {@code objectSelector}, that must not count as drift).
     */
    public static boolean matches(ValidatingWebhookConfiguration desired, ValidatingWebhookConfiguration actual) {
        if (actual == null || actual.getWebhooks() == null) {
            return false;
        }
        List<OwnerReference> actualOwners = Optional.ofNullable(actual.getMetadata().getOwnerReferences()).orElse(List.of());
        if (!actualOwners.containsAll(desired.getMetadata().getOwnerReferences())) {
            return false;
        }
        Map<String, String> annotations = Optional.ofNullable(actual.getMetadata().getAnnotations()).orElse(Map.of());
        if (!annotations.entrySet().containsAll(Optional.ofNullable(desired.getMetadata().getAnnotations()).orElse(Map.of()).entrySet())) {
            return false;
        }
        ValidatingWebhook want = desired.getWebhooks().get(0);
        return actual.getWebhooks().stream().filter(w -> want.getName().equals(w.getName())).findFirst()
                .map(have -> sameClientConfig(want.getClientConfig(), have.getClientConfig())
                        && Objects.equals(want.getRules(), have.getRules())
                        && Objects.equals(want.getMatchPolicy(), have.getMatchPolicy())
                        && Objects.equals(want.getSideEffects(), have.getSideEffects())
                        && Objects.equals(want.getAdmissionReviewVersions(), have.getAdmissionReviewVersions())
                        && Objects.equals(want.getTimeoutSeconds(), have.getTimeoutSeconds())
                        && Objects.equals(want.getFailurePolicy(), have.getFailurePolicy())
                        && Objects.equals(want.getNamespaceSelector(), have.getNamespaceSelector())
                        && Objects.equals(orEmpty(want.getMatchConditions()), orEmpty(have.getMatchConditions())))
                .orElse(false);
    }

    /** Equal, but for a caBundle left to cainjector (absent from {@code want}): whatever it wrote is not drift. */
    private static boolean sameClientConfig(WebhookClientConfig want, WebhookClientConfig have) {
        if (want.getCaBundle() == null && have != null) {
            return Objects.equals(want, new WebhookClientConfigBuilder(have).withCaBundle(null).build());
        }
        return Objects.equals(want, have);
    }

    /** The API server omits an empty list: absent and empty say the same. */
    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** The CAs the registered configuration tells the API server to trust. */
    public static List<X509Certificate> registeredCas(ValidatingWebhookConfiguration actual) {
        if (actual == null || actual.getWebhooks() == null) {
            return List.of();
        }
        return actual.getWebhooks().stream()
                .filter(w -> WebhookSettings.WEBHOOK_NAME.equals(w.getName()))
                .map(ValidatingWebhook::getClientConfig)
                .filter(c -> c != null && c.getCaBundle() != null)
                .findFirst()
                .map(c -> {
                    try {
                        return Pem.certificates(new String(Base64.getDecoder().decode(c.getCaBundle()), StandardCharsets.US_ASCII));
                    } catch (IllegalArgumentException e) {
                        return List.<X509Certificate>of();
                    }
                })
                .orElse(List.of());
    }
}

package dev.hardening.registration;

import dev.hardening.HardeningConfig;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** The registration settings, as {@link dev.hardening.ConfigCheck} has checked them at start. */
public record WebhookSettings(String configurationName, String namespace, String serviceName, Optional<String> url,
                              HardeningConfig.FailurePolicy failurePolicy, int timeoutSeconds, List<String> excludedNamespaces,
                              HardeningConfig.ControllerChildren controllerChildren, List<String> controllerUsernames,
                              Optional<String> injectCaFrom) {

    public static final String WEBHOOK_NAME = "validate.hardening.dev";
    /** Never sent to the webhook, whatever the settings: the control plane's own namespaces. */
    private static final List<String> CONTROL_PLANE_NAMESPACES = List.of("kube-system", "kube-node-lease");

    public WebhookSettings {
        excludedNamespaces = List.copyOf(excludedNamespaces);
        controllerUsernames = controllerUsernames.stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
    }

    public static WebhookSettings of(HardeningConfig config) {
        HardeningConfig.Webhook w = config.webhook();
        return new WebhookSettings(w.configurationName(), config.namespace(), w.serviceName(), w.url(),
                w.failurePolicy(), w.timeoutSeconds(), w.excludedNamespaces().orElse(List.of()),
                w.controllerChildren(), w.controllerUsernames(), config.certificates().injectCaFrom());
    }

    /**
     * The namespaces the API server never sends to the webhook: kube-system, kube-node-lease, the operator's own and
     * the configured ones. With {@code failurePolicy: Fail} and the webhook down, the control plane and the operator
     * itself can still start. The audit skips the same namespaces: it judges what admission judges.
     */
    public SortedSet<String> neverAdmittedNamespaces() {
        return neverAdmittedNamespaces(namespace, excludedNamespaces);
    }

    public static SortedSet<String> neverAdmittedNamespaces(String operatorNamespace, List<String> configured) {
        SortedSet<String> excluded = new TreeSet<>(CONTROL_PLANE_NAMESPACES);
        excluded.add(operatorNamespace);
        configured.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(excluded::add);
        return Collections.unmodifiableSortedSet(excluded);
    }

    /** Local mode: the API server calls a URL, so the certificate also needs loopback names. */
    public boolean local() {
        return url.isPresent();
    }
}

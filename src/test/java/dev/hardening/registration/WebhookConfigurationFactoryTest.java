package dev.hardening.registration;

import dev.hardening.HardeningConfig;
import dev.hardening.HardeningConfig.ControllerChildren;
import dev.hardening.HardeningConfig.FailurePolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import dev.hardening.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matchCondition that keeps what built-in controllers derive away from the webhook, as the API server receives
 * it. Its meaning in a real API server is proven end to end (ControllersIT); here: its exact text, the settings that
 * shape it, and that registration sees it as unchanged once applied.
 */
class WebhookConfigurationFactoryTest {

    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static WebhookSettings settings(ControllerChildren mode, List<String> usernames) {
        return new WebhookSettings("hardening-operator", "hardening-system", "hardening-operator", Optional.empty(),
                FailurePolicy.Fail, 5, List.of(), mode, usernames, Optional.empty());
    }

    private static ValidatingWebhook webhook(WebhookSettings settings) {
        return WebhookConfigurationFactory.desired(settings, CA, Optional.empty()).getWebhooks().get(0);
    }

    @Test
    void trustSkipsTheWebhookForControllerChildrenOfHandledKinds() {
        List<String> defaults = List.of(TestConfig.hardening(Map.of()).webhook().controllerUsernames().toArray(String[]::new));

        List<MatchCondition> conditions = webhook(settings(ControllerChildren.Trust, defaults)).getMatchConditions();

        assertThat(conditions).extracting(MatchCondition::getName).containsExactly("exclude-trusted-controller-children");
        assertThat(conditions.get(0).getExpression()).isEqualTo("""
                !(has(request.userInfo.username) && request.userInfo.username in [\
                'system:serviceaccount:kube-system:deployment-controller', \
                'system:serviceaccount:kube-system:replicaset-controller', \
                'system:serviceaccount:kube-system:statefulset-controller', \
                'system:serviceaccount:kube-system:daemon-set-controller', \
                'system:serviceaccount:kube-system:job-controller', \
                'system:serviceaccount:kube-system:cronjob-controller', \
                'system:serviceaccount:kube-system:replication-controller', \
                'system:kube-controller-manager']
                  && !has(request.subResource)
                  && object != null && has(object.metadata) && has(object.metadata.ownerReferences)
                  && object.metadata.ownerReferences.exists(r, has(r.controller) && r.controller == true
                    && has(r.kind) && has(r.apiVersion) && (
                      (request.resource.group == '' && request.resource.resource == 'pods' && (\
                (r.kind == 'ReplicaSet' && r.apiVersion.startsWith('apps/')) || \
                (r.kind == 'StatefulSet' && r.apiVersion.startsWith('apps/')) || \
                (r.kind == 'DaemonSet' && r.apiVersion.startsWith('apps/')) || \
                (r.kind == 'Job' && r.apiVersion.startsWith('batch/')) || \
                (r.kind == 'ReplicationController' && !r.apiVersion.contains('/'))))
                      || (request.resource.group == 'apps' && request.resource.resource == 'replicasets' && (\
                (r.kind == 'Deployment' && r.apiVersion.startsWith('apps/'))))
                      || (request.resource.group == 'batch' && request.resource.resource == 'jobs' && (\
                (r.kind == 'CronJob' && r.apiVersion.startsWith('batch/')))))))""");
    }

    @Test
    void judgeRegistersNoCondition() {
        assertThat(webhook(settings(ControllerChildren.Judge, List.of("system:kube-controller-manager")))
                .getMatchConditions()).isEmpty();
    }

    @Test
    void configuredUsernamesAreQuotedAsCelStrings() {
        String expression = webhook(settings(ControllerChildren.Trust, List.of(" system:serviceaccount:k3s:rs ", "o'brien\\x")))
                .getMatchConditions().get(0).getExpression();

        assertThat(expression).startsWith("!(has(request.userInfo.username) && request.userInfo.username in "
                + "['system:serviceaccount:k3s:rs', 'o\\'brien\\\\x']\n");
    }

    @Test
    void theDefaultsAreKubeControllerManagersWorkloadControllers() {
        assertThat(TestConfig.hardening(Map.of()).webhook().controllerUsernames())
                .containsExactly(HardeningConfig.BUILT_IN_CONTROLLERS.split(","));
        assertThat(TestConfig.hardening(Map.of()).webhook().controllerChildren()).isEqualTo(ControllerChildren.Trust);
    }

    @Test
    void theRegisteredConditionsAreComparedSoThatNothingIsAppliedForever() {
        WebhookSettings trust = settings(ControllerChildren.Trust, List.of("system:kube-controller-manager"));
        WebhookSettings judge = settings(ControllerChildren.Judge, List.of("system:kube-controller-manager"));
        ValidatingWebhookConfiguration trusting = WebhookConfigurationFactory.desired(trust, CA, Optional.empty());
        ValidatingWebhookConfiguration judging = WebhookConfigurationFactory.desired(judge, CA, Optional.empty());
        // as the API server returns them: an empty list is omitted
        ValidatingWebhookConfiguration storedWithout = new ValidatingWebhookConfigurationBuilder(judging)
                .editFirstWebhook().withMatchConditions((List<MatchCondition>) null).endWebhook().build();

        assertThat(WebhookConfigurationFactory.matches(trusting, new ValidatingWebhookConfigurationBuilder(trusting).build()))
                .isTrue();
        assertThat(WebhookConfigurationFactory.matches(judging, storedWithout)).isTrue();
        assertThat(WebhookConfigurationFactory.matches(trusting, storedWithout)).isFalse();
        assertThat(WebhookConfigurationFactory.matches(judging, trusting)).isFalse();
    }

    @Test
    void withCainjectorTheConfigurationNamesTheCertificateAndLeavesCaBundleToIt() {
        WebhookSettings injected = new WebhookSettings("hardening-operator", "hardening-system", "hardening-operator",
                Optional.empty(), FailurePolicy.Fail, 5, List.of(), ControllerChildren.Judge, List.of(),
                Optional.of("hardening-system/hardening-operator-serving"));
        ValidatingWebhookConfiguration desired = WebhookConfigurationFactory.desired(injected, CA, Optional.empty());

        assertThat(desired.getMetadata().getAnnotations())
                .containsExactly(Map.entry("cert-manager.io/inject-ca-from", "hardening-system/hardening-operator-serving"));
        assertThat(desired.getWebhooks().get(0).getClientConfig().getCaBundle()).isNull();
        // what cainjector writes is not drift; a lost annotation is
        ValidatingWebhookConfiguration filled = new ValidatingWebhookConfigurationBuilder(desired)
                .editFirstWebhook().editClientConfig().withCaBundle("Zm9v").endClientConfig().endWebhook().build();
        ValidatingWebhookConfiguration unannotated = new ValidatingWebhookConfigurationBuilder(filled)
                .editMetadata().withAnnotations(null).endMetadata().build();
        assertThat(WebhookConfigurationFactory.matches(desired, filled)).isTrue();
        assertThat(WebhookConfigurationFactory.matches(desired, unannotated)).isFalse();
        assertThat(WebhookConfigurationFactory.desired(settings(ControllerChildren.Judge, List.of()), CA, Optional.empty())
                .getWebhooks().get(0).getClientConfig().getCaBundle()).as("without cainjector the operator writes it").isNotNull();
    }
}

package dev.hardening.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.HardeningConfig.ControllerChildren;
import dev.hardening.HardeningConfig;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Profile;
import dev.hardening.rules.WorkloadKind;
import dev.hardening.testing.TestPolicies;
import dev.hardening.testing.TestPolicyIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trust in what built-in controllers derive needs both a controller identity and a controller owner reference of
 * a kind that derives the object's kind; {@code Judge} turns it off.
 */
class TrustedControllersTest {

    private static final List<String> BUILT_IN = List.of(HardeningConfig.BUILT_IN_CONTROLLERS.split(","));

    private static AdmissionRequest request(String fixture) throws BadReviewException {
        return request(AdmissionReviewTest.fixture(fixture));
    }

    private static AdmissionRequest request(ObjectNode review) throws BadReviewException {
        return AdmissionReviewCodec.parse(review.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static AdmissionResponse review(ControllerChildren mode, String fixture) throws BadReviewException {
        TestPolicyIndex index = new TestPolicyIndex();
        index.set("payments", TestPolicies.profile("payments", "baseline", Profile.Hardened, RuleMode.Enforce));
        AdmissionService service = new AdmissionService(index, new AdmissionMetrics(new SimpleMeterRegistry()),
                new TrustedControllers(mode, BUILT_IN), Clock.systemUTC());
        return service.answer(request(fixture));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"create-pod-of-replicaset-by-controller", "create-replicaset-of-deployment-by-controller",
            "create-job-of-cronjob-by-controller"})
    void trustAllowsAndJudgeJudges(String fixture) throws BadReviewException {
        AdmissionResponse trusted = review(ControllerChildren.Trust, fixture);
        AdmissionResponse judged = review(ControllerChildren.Judge, fixture);

        assertThat(trusted.allowed()).isTrue();
        assertThat(trusted.warnings()).isEmpty();
        assertThat(judged.allowed()).isFalse();
        assertThat(judged.message()).contains("violates HardeningPolicy \"payments/baseline\"");
    }

    @ParameterizedTest(name = "{0} from {1} with owner {2} {3} (controller {4}): {5}")
    @CsvSource({
            "POD, system:serviceaccount:kube-system:replicaset-controller, apps/v1, ReplicaSet, true, true",
            "POD, system:serviceaccount:kube-system:statefulset-controller, apps/v1, StatefulSet, true, true",
            "POD, system:serviceaccount:kube-system:daemon-set-controller, apps/v1, DaemonSet, true, true",
            "POD, system:serviceaccount:kube-system:job-controller, batch/v1, Job, true, true",
            "POD, system:serviceaccount:kube-system:replication-controller, v1, ReplicationController, true, true",
            "POD, system:kube-controller-manager, apps/v1, ReplicaSet, true, true",
            "REPLICA_SET, system:serviceaccount:kube-system:deployment-controller, apps/v1, Deployment, true, true",
            "JOB, system:serviceaccount:kube-system:cronjob-controller, batch/v1, CronJob, true, true",
            "POD, alice@example.com, apps/v1, ReplicaSet, true, false",
            "POD, system:serviceaccount:payments:replicaset-controller, apps/v1, ReplicaSet, true, false",
            "POD, system:serviceaccount:kube-system:replicaset-controller, apps/v1, ReplicaSet, false, false",
            "POD, system:serviceaccount:kube-system:replicaset-controller, extensions/v1beta1, ReplicaSet, true, false",
            "POD, system:serviceaccount:kube-system:replicaset-controller, apps/v1, Deployment, true, false",
            "POD, system:serviceaccount:kube-system:replicaset-controller, v1, Pod, true, false",
            "POD, system:serviceaccount:kube-system:replicaset-controller, example.com/v1, ReplicaSet, true, false",
            "REPLICA_SET, system:serviceaccount:kube-system:deployment-controller, apps/v1, ReplicaSet, true, false",
            "DEPLOYMENT, system:serviceaccount:kube-system:deployment-controller, apps/v1, Deployment, true, false",
            "CRON_JOB, system:serviceaccount:kube-system:cronjob-controller, batch/v1, CronJob, true, false",
            "STATEFUL_SET, system:kube-controller-manager, apps/v1, Deployment, true, false"})
    void bothTheIdentityAndTheOwnerMustFit(WorkloadKind kind, String username, String apiVersion, String ownerKind,
                                           boolean controller, boolean trusted) throws BadReviewException {
        ObjectNode review = AdmissionReviewTest.fixture("create-pod-of-replicaset-by-controller");
        ((ObjectNode) review.path("request").path("userInfo")).put("username", username);
        ObjectNode owner = (ObjectNode) review.at("/request/object/metadata/ownerReferences/0");
        owner.put("apiVersion", apiVersion).put("kind", ownerKind).put("controller", controller);

        assertThat(new TrustedControllers(ControllerChildren.Trust, BUILT_IN).derivedByController(kind, request(review)))
                .isEqualTo(trusted);
    }

    @Test
    void aSubresourceOrAStringControllerFlagIsNotTrusted() throws BadReviewException {
        TrustedControllers trust = new TrustedControllers(ControllerChildren.Trust, BUILT_IN);
        ObjectNode debug = AdmissionReviewTest.fixture("create-pod-of-replicaset-by-controller");
        ((ObjectNode) debug.path("request")).put("subResource", "ephemeralcontainers");
        ObjectNode quoted = AdmissionReviewTest.fixture("create-pod-of-replicaset-by-controller");
        ((ObjectNode) quoted.at("/request/object/metadata/ownerReferences/0")).put("controller", "true");

        assertThat(trust.derivedByController(WorkloadKind.POD, request(debug))).isFalse();
        assertThat(trust.derivedByController(WorkloadKind.POD, request(quoted))).isFalse();
        assertThat(trust.derivedByController(WorkloadKind.POD, request("create-pod-of-replicaset-by-controller"))).isTrue();
    }

    @Test
    void anotherDistributionNamesItsOwnControllers() throws BadReviewException {
        TrustedControllers custom = new TrustedControllers(ControllerChildren.Trust, List.of(" system:serviceaccount:k3s:rs ", ""));
        ObjectNode review = AdmissionReviewTest.fixture("create-pod-of-replicaset-by-controller");
        ((ObjectNode) review.path("request").path("userInfo")).put("username", "system:serviceaccount:k3s:rs");

        assertThat(custom.derivedByController(WorkloadKind.POD, request(review))).isTrue();
        assertThat(custom.derivedByController(WorkloadKind.POD, request("create-pod-of-replicaset-by-controller"))).isFalse();
    }
}

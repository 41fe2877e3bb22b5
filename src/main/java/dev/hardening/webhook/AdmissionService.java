package dev.hardening.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hardening.policy.AdmissionDecider;
import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.Finding;
import dev.hardening.policy.Outcome;
import dev.hardening.policy.PolicyIndex;
import dev.hardening.rules.ObjectReader;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * AdmissionReview in, AdmissionReview out: locate the pod spec, take the namespace's policies from memory, judge,
 * answer. No API call and no blocking on this path; it runs on the HTTP event loop.
 */
@ApplicationScoped
public class AdmissionService {

    private static final Logger LOG = Logger.getLogger(AdmissionService.class);
    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

    private final PolicyIndex policies;
    private final AdmissionMetrics metrics;
    private final Clock clock;
    private final Set<String> unhandledLogged = ConcurrentHashMap.newKeySet();

    @Inject
    public AdmissionService(PolicyIndex policies, AdmissionMetrics metrics) {
        this(policies, metrics, Clock.systemUTC());
    }

    AdmissionService(PolicyIndex policies, AdmissionMetrics metrics, Clock clock) {
        this.policies = policies;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Answers a parsed request. Thread-safe. */
    AdmissionResponse review(AdmissionRequest request) {
        long start = System.nanoTime();
        AdmissionResponse response = judge(request);
        metrics.duration(System.nanoTime() - start);
        return response;
    }

    private AdmissionResponse judge(AdmissionRequest request) {
        WorkloadKind kind = handledKind(request);
        if (kind == null) {
            metrics.request(request.kind().isEmpty() ? "unknown" : request.kind(), request.operation(), "allowed");
            return AdmissionResponse.allow(request.uid());
        }
        String name = displayName(request);
        if (request.object() == null) {
            return count(kind, request, failClosed(request, kind, name, "the request carries no object"));
        }
        if (!policies.ready()) {
            AdmissionResponse unavailable = new AdmissionResponse(request.uid(), false, 503, "ServiceUnavailable",
                    "hardening-operator has not loaded the HardeningPolicies yet; retry in a few seconds",
                    List.of(), Map.of());
            return count(kind, request, unavailable);
        }
        List<CompiledPolicy> applicable = policies.policiesFor(request.namespace());
        if (applicable.isEmpty()) {
            return count(kind, request, AdmissionResponse.allow(request.uid()));
        }
        PodTarget target;
        PodTarget oldTarget = null;
        HasMetadata object;
        try {
            object = ObjectReader.read(request.object(), kind.modelClass());
            target = PodTarget.of(kind, object);
            if ("UPDATE".equals(request.operation()) && request.oldObject() != null) {
                oldTarget = PodTarget.of(kind, ObjectReader.read(request.oldObject(), kind.modelClass()));
            }
        } catch (ObjectReader.UnreadableObjectException e) {
            String where = e.path().isEmpty() ? "" : " at " + e.path();
            return count(kind, request, failClosed(request, kind, name,
                    "cannot read it as a " + kind.kind() + ": unexpected value or type" + where));
        }
        boolean mirror = kind == WorkloadKind.POD && object.getMetadata() != null
                && object.getMetadata().getAnnotations() != null
                && object.getMetadata().getAnnotations().containsKey(MIRROR_POD_ANNOTATION);
        List<Finding> findings = AdmissionDecider.judge(target, oldTarget, mirror, applicable, clock.instant());
        return count(kind, request, respond(request, kind, name, findings));
    }

    private AdmissionResponse respond(AdmissionRequest request, WorkloadKind kind, String name, List<Finding> findings) {
        List<Finding> denials = new ArrayList<>();
        List<Finding> warned = new ArrayList<>();
        List<Finding> audited = new ArrayList<>();
        for (Finding finding : findings) {
            metrics.violation(finding.violation().ruleId(), finding.outcome() == Outcome.EXEMPT ? "Exempt" : finding.mode().name());
            switch (finding.outcome()) {
                case DENY -> denials.add(finding);
                case WARN -> warned.add(finding);
                case AUDIT -> audited.add(finding);
                default -> { }
            }
        }
        List<String> warnings = AdmissionMessages.warnings(warned);
        Map<String, String> annotations = AdmissionMessages.auditAnnotations(audited);
        if (denials.isEmpty()) {
            return AdmissionResponse.allow(request.uid(), warnings, annotations);
        }
        LOG.infof("denied uid=%s kind=%s namespace=%s name=%s operation=%s dryRun=%s rules=%s", request.uid(), kind.kind(),
                request.namespace(), name, request.operation(), request.dryRun(),
                denials.stream().map(f -> f.violation().ruleId()).distinct().collect(Collectors.joining(",")));
        return AdmissionResponse.deny(request.uid(), AdmissionMessages.denial(kind.kind(), name, denials), warnings, annotations);
    }

    private AdmissionResponse failClosed(AdmissionRequest request, WorkloadKind kind, String name, String problem) {
        LOG.infof("denied uid=%s kind=%s namespace=%s name=%s: %s", request.uid(), kind.kind(), request.namespace(), name, problem);
        return AdmissionResponse.deny(request.uid(), kind.kind() + " \"" + name + "\" cannot be checked: " + problem,
                List.of(), Map.of());
    }

    private AdmissionResponse count(WorkloadKind kind, AdmissionRequest request, AdmissionResponse response) {
        metrics.request(kind.kind(), request.operation(), response.allowed() ? "allowed" : "denied");
        return response;
    }

    /** Pods and pod-template workloads on CREATE and UPDATE, and the ephemeral-containers subresource of pods. */
    private WorkloadKind handledKind(AdmissionRequest request) {
        String operation = request.operation();
        if (!"CREATE".equals(operation) && !"UPDATE".equals(operation)) {
            return null;
        }
        WorkloadKind kind = WorkloadKind.ofResource(request.group(), request.resource()).orElse(null);
        boolean subResourceHandled = request.subResource().isEmpty()
                || (kind == WorkloadKind.POD && "ephemeralcontainers".equals(request.subResource()));
        if (kind == null || !subResourceHandled) {
            String key = request.group() + "/" + request.resource() + "/" + request.subResource();
            if (unhandledLogged.add(key)) {
                LOG.debugf("allowing unhandled resource %s (logged once)", key);
            }
            return null;
        }
        return kind;
    }

    private static String displayName(AdmissionRequest request) {
        if (!request.name().isEmpty()) {
            return request.name();
        }
        JsonNode metadata = request.object() == null ? null : request.object().get("metadata");
        if (metadata != null) {
            String name = metadata.path("name").asText("");
            if (!name.isEmpty()) {
                return name;
            }
            String generateName = metadata.path("generateName").asText("");
            if (!generateName.isEmpty()) {
                return generateName + "*";
            }
        }
        return "(unnamed)";
    }
}

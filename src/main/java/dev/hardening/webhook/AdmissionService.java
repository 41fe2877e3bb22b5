package dev.hardening.webhook;

import dev.hardening.HardeningConfig;
import dev.hardening.engine.AdmissionDecider;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.Finding;
import dev.hardening.engine.FindingVerdict;
import dev.hardening.engine.PolicyIndex;
import dev.hardening.rules.ObjectReader;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.Target;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
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
 * The admission line, AdmissionReview bytes in, AdmissionReview bytes out ({@link #handle}): parse, locate the pod
 * spec, take the namespace's policies from memory, judge, answer. No API call and no blocking on this path; it runs
 * on the HTTP event loop. {@link WebhookServer} is only its transport.
 */
@ApplicationScoped
public class AdmissionService {

    private static final Logger LOG = Logger.getLogger(AdmissionService.class);

    private final PolicyIndex policies;
    private final AdmissionMetrics metrics;
    private final TrustedControllers controllers;
    private final Clock clock;
    private final ScanLookup scans;
    private final Set<String> unhandledLogged = ConcurrentHashMap.newKeySet();

    /** @param scans the scans known, from memory: the operator's informer-fed index */
    @Inject
    public AdmissionService(PolicyIndex policies, AdmissionMetrics metrics, HardeningConfig config, ScanLookup scans) {
        this(policies, metrics, TrustedControllers.of(config.webhook()), Clock.systemUTC(), scans);
    }

    public AdmissionService(PolicyIndex policies, AdmissionMetrics metrics, HardeningConfig config) {
        this(policies, metrics, config, ScanLookup.NONE);
    }

    AdmissionService(PolicyIndex policies, AdmissionMetrics metrics, TrustedControllers controllers, Clock clock) {
        this(policies, metrics, controllers, clock, ScanLookup.NONE);
    }

    AdmissionService(PolicyIndex policies, AdmissionMetrics metrics, TrustedControllers controllers, Clock clock,
                     ScanLookup scans) {
        this.scans = scans;
        this.policies = policies;
        this.metrics = metrics;
        this.controllers = controllers;
        this.clock = clock;
    }

    /** Its metrics, which the transport adds its connection counts to. */
    AdmissionMetrics metrics() {
        return metrics;
    }

    /**
     * The whole admission of one request, AdmissionReview bytes in, AdmissionReview bytes out: parse the review once,
     * read its object once, judge it, answer. Its time is {@code hardening_admission_duration_seconds}. Thread-safe.
     *
     * @throws BadReviewException the body is not an AdmissionReview v1 request (the server answers 400)
     */
    public byte[] handle(byte[] body) throws BadReviewException {
        long start = System.nanoTime();
        byte[] answer = AdmissionReviewCodec.write(answer(AdmissionReviewCodec.parse(body)));
        metrics.duration(System.nanoTime() - start);
        return answer;
    }

    /** The response to a parsed request, counted in {@code hardening_admission_requests_total}. */
    AdmissionResponse answer(AdmissionRequest request) {
        WorkloadKind kind = handledKind(request);
        AdmissionResponse response = kind == null ? AdmissionResponse.allow(request.uid()) : decide(kind, request);
        String kindLabel = kind != null ? kind.kind() : request.kind().isEmpty() ? "unknown" : request.kind();
        metrics.request(kindLabel, request.operation(), response.allowed() ? "allowed" : "denied");
        return response;
    }

    private AdmissionResponse decide(WorkloadKind kind, AdmissionRequest request) {
        if (controllers.derivedByController(kind, request)) {
            return AdmissionResponse.allow(request.uid());
        }
        String name = request.name().isEmpty() ? ObjectReader.displayName(request.object()) : request.name();
        if (request.object() == null) {
            return failClosed(request, kind, name, "the request carries no object");
        }
        if (!policies.ready()) {
            return new AdmissionResponse(request.uid(), false, 503, "ServiceUnavailable",
                    "hardening-operator has not loaded the HardeningPolicies yet; retry in a few seconds",
                    List.of(), Map.of());
        }
        List<CompiledPolicy> applicable = policies.policiesFor(request.namespace());
        if (applicable.isEmpty()) {
            return AdmissionResponse.allow(request.uid());
        }
        Target target;
        Target oldTarget = null;
        HasMetadata object;
        try {
            object = ObjectReader.read(request.object(), kind.modelClass());
            target = kind.target(object, request.object());
            if ("UPDATE".equals(request.operation()) && request.oldObject() != null) {
                oldTarget = kind.target(ObjectReader.read(request.oldObject(), kind.modelClass()), request.oldObject());
            }
        } catch (ObjectReader.UnreadableObjectException e) {
            return failClosed(request, kind, name, e.problem(kind.kind()));
        }
        boolean claimsMirror = kind == WorkloadKind.POD && MirrorPods.annotated(object);
        boolean mirror = claimsMirror && MirrorPods.fromItsNode(request.user(), (Pod) object);
        List<Finding> findings = AdmissionDecider.findings(target, oldTarget, mirror, applicable, clock.instant(), scans);
        return respond(request, kind, name, findings, claimsMirror && !mirror);
    }

    /** @param forgedMirror the Pod claims to be a mirror pod, but not from its node: the denial says why that failed */
    private AdmissionResponse respond(AdmissionRequest request, WorkloadKind kind, String name, List<Finding> findings,
                                      boolean forgedMirror) {
        List<Finding> denials = new ArrayList<>();
        List<Finding> warned = new ArrayList<>();
        List<Finding> audited = new ArrayList<>();
        for (Finding finding : findings) {
            metrics.violation(finding.violation().ruleId(), finding.outcome() == FindingVerdict.EXEMPT ? "Exempt" : finding.mode().name());
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
        String message = AdmissionMessages.denial(kind.kind(), name, denials);
        if (forgedMirror) {
            message += "\n" + AdmissionMessages.MIRROR_ANNOTATION_RESERVED;
        }
        return AdmissionResponse.deny(request.uid(), message, warnings, annotations);
    }

    private AdmissionResponse failClosed(AdmissionRequest request, WorkloadKind kind, String name, String problem) {
        LOG.infof("denied uid=%s kind=%s namespace=%s name=%s: %s", request.uid(), kind.kind(), request.namespace(), name, problem);
        return AdmissionResponse.deny(request.uid(), ObjectReader.cannotBeChecked(kind.kind(), name, problem),
                List.of(), Map.of());
    }

    /** Pods, pod-template workloads and Services on CREATE and UPDATE, and the ephemeral-containers subresource of pods. */
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
}

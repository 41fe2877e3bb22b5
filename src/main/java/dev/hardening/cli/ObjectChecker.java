package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.engine.AdmissionDecider;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.Finding;
import dev.hardening.rules.CoverageTarget;
import dev.hardening.rules.NetworkPolicies;
import dev.hardening.rules.ObjectReader;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.Target;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges the objects of one document as admission would judge their CREATE: the kinds the webhook handles, read the
 * way the webhook reads them, every policy on its own ({@link AdmissionDecider}). List objects are checked item by
 * item; other kinds are skipped and counted. Where a policy enables network-policy-coverage, workloads are also judged
 * against the NetworkPolicies of the whole input (never at admission: see docs/cli.md).
 */
final class ObjectChecker {

    private final List<CompiledPolicy> policies;
    private final Instant now;
    private final NetworkPolicies networkPolicies;
    private final String defaultNamespace;
    private final boolean requireNetworkPolicy;
    private final boolean judgesCoverage;
    private final ScanLookup scans;

    ObjectChecker(List<CheckPolicy> policies, Instant now) {
        this(policies, now, NetworkPolicies.of(List.of(), "default"), "default", false, ScanLookup.NONE);
    }

    /**
     * @param networkPolicies      the NetworkPolicies of the whole input, for network-policy-coverage
     * @param defaultNamespace     the namespace of objects that name none
     * @param requireNetworkPolicy judge coverage also where the input holds no NetworkPolicy of the namespace
     * @param scans                the scans of the --scan-report files, for the scan rules
     */
    ObjectChecker(List<CheckPolicy> policies, Instant now, NetworkPolicies networkPolicies, String defaultNamespace,
                  boolean requireNetworkPolicy, ScanLookup scans) {
        this.scans = scans;
        this.policies = policies.stream().map(CheckPolicy::compiled).toList();
        this.now = now;
        this.networkPolicies = networkPolicies;
        this.defaultNamespace = defaultNamespace;
        this.requireNetworkPolicy = requireNetworkPolicy;
        this.judgesCoverage = this.policies.stream().anyMatch(p -> p.judges(Target.Type.COVERAGE));
    }

    /** Adds the NetworkPolicy a document is (or those among its list's items) to {@code found}, for coverage. */
    static void collectNetworkPolicies(Document document, List<NetworkPolicy> found) {
        collect(document.object(), found);
    }

    private static void collect(JsonNode object, List<NetworkPolicy> found) {
        JsonNode items = object.get("items");
        if (text(object, "kind").endsWith("List") && items != null && items.isArray()) {
            items.forEach(item -> collect(item, found));
        } else if ("NetworkPolicy".equals(text(object, "kind")) && "networking.k8s.io/v1".equals(text(object, "apiVersion"))) {
            try {
                found.add(ObjectReader.read(object, NetworkPolicy.class));
            } catch (ObjectReader.UnreadableObjectException e) {
                // an unreadable NetworkPolicy isolates nothing; the API server would refuse it anyway
            }
        }
    }

    void check(Document document, CheckReport report) throws InputException {
        check(document.source(), document.object(), document.positions(), report);
    }

    private void check(Source source, ObjectNode object, FieldPositions positions, CheckReport report) throws InputException {
        String apiVersion = text(object, "apiVersion");
        String kind = text(object, "kind");
        if (kind.isEmpty() || apiVersion.isEmpty()) {
            throw InputException.at(source, positions.start(),
                    "not a Kubernetes object: " + (kind.isEmpty() ? "kind" : "apiVersion") + " is not set");
        }
        JsonNode items = object.get("items");
        if (kind.endsWith("List") && items != null && items.isArray()) {
            for (int i = 0; i < items.size(); i++) {
                FieldPositions item = positions.item("items", i);
                if (!items.get(i).isObject()) {
                    throw InputException.at(source, item.start(), "items[" + i + "] is not a Kubernetes object");
                }
                check(source, (ObjectNode) items.get(i), item, report);
            }
            return;
        }
        Optional<WorkloadKind> handled = handledKind(apiVersion, kind);
        String name = ObjectReader.displayName(object);
        if (handled.isEmpty()) {
            report.skip(new CheckReport.SkippedObject(source, positions.start(), apiVersion, kind, name));
            return;
        }
        WorkloadKind workload = handled.get();
        List<ApiServerValidation.Problem> problems = ApiServerValidation.problems(object, workload);
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (ApiServerValidation.Problem problem : problems) {
                lines.add(source.at(positions.of(problem.path())) + ": " + kind + " \"" + name + "\" is invalid: "
                        + problem.path() + ": " + problem.text());
            }
            throw new InputException(lines);
        }
        HasMetadata decoded;
        try {
            decoded = ObjectReader.read(object, workload.modelClass());
        } catch (ObjectReader.UnreadableObjectException e) {
            throw InputException.at(source, positions.of(e.path()), ObjectReader.cannotBeChecked(kind, name, e.problem(kind)));
        }
        // a file is judged as a CREATE by a user: no old object to ratchet against, never a kubelet mirror pod
        Target target = workload.target(decoded, object);
        List<Finding> findings = new ArrayList<>(AdmissionDecider.findings(target, null, false, policies, now, scans));
        if (judgesCoverage && target instanceof PodTarget pod) {
            String namespace = text(object.path("metadata"), "namespace");
            namespace = namespace.isEmpty() ? defaultNamespace : namespace;
            if (requireNetworkPolicy || networkPolicies.anyIn(namespace)) {
                findings.addAll(AdmissionDecider.findings(new CoverageTarget(pod, namespace, networkPolicies), null, false,
                        policies, now, scans));
            } else {
                // the NetworkPolicy may well exist in the cluster: say so rather than guess
                report.coverageNotEvaluated(namespace);
            }
        }
        List<CheckReport.Located> located = new ArrayList<>(findings.size());
        for (Finding finding : findings) {
            located.add(new CheckReport.Located(finding, positions.of(finding.violation().path())));
        }
        report.add(new CheckReport.CheckedObject(source, positions.start(), apiVersion, kind,
                text(object.path("metadata"), "namespace"), name, located));
    }

    /** A workload kind in its own API group: {@code apps/v1} Deployment, not a removed {@code extensions/v1beta1} one. */
    static Optional<WorkloadKind> handledKind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return WorkloadKind.ofKind(kind).filter(k -> k.group().equals(group));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }
}

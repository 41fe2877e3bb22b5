package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.policy.AdmissionDecider;
import dev.hardening.policy.CompiledPolicy;
import dev.hardening.policy.Finding;
import dev.hardening.rules.ObjectReader;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges the objects of one document as admission would judge their CREATE: the kinds the webhook handles, read the
 * way the webhook reads them, every policy on its own ({@link AdmissionDecider}). List objects are checked item by
 * item; other kinds are skipped and counted.
 */
final class ObjectChecker {

    private final List<CompiledPolicy> policies;
    private final Instant now;

    ObjectChecker(List<CheckPolicy> policies, Instant now) {
        this.policies = policies.stream().map(CheckPolicy::compiled).toList();
        this.now = now;
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
        String name = displayName(object);
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
            String where = e.path().isEmpty() ? "" : " at " + e.path();
            throw InputException.at(source, positions.of(e.path()), kind + " \"" + name + "\" cannot be checked: "
                    + "cannot read it as a " + kind + ": unexpected value or type" + where);
        }
        // a file is judged as a CREATE by a user: no old object to ratchet against, never a kubelet mirror pod
        List<Finding> findings = AdmissionDecider.findings(PodTarget.of(workload, decoded), null, false, policies, now);
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

    /** metadata.name, or generateName followed by {@code *}, as admission names the object. */
    private static String displayName(ObjectNode object) {
        JsonNode metadata = object.path("metadata");
        String name = text(metadata, "name");
        if (!name.isEmpty()) {
            return name;
        }
        String generateName = text(metadata, "generateName");
        return generateName.isEmpty() ? "(unnamed)" : generateName + "*";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }
}

package dev.hardening.operator.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hardening.operator.audit.NamespaceAudit;
import dev.hardening.operator.audit.ReportResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The report object one policy writes in one namespace, and whether an existing one already says the same. Pure.
 * A result keeps the timestamp it had when nothing about it changed, so that an unchanged namespace compares equal
 * and is not written again.
 */
public final class ReportBody {

    public static final String SOURCE = "hardening-operator";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** {@code <namespace>/<name>} of the HardeningPolicy that wrote the report. */
    public static final String POLICY_ANNOTATION = "hardening.dev/policy";
    /** Map keys sorted: the API server hands objects back with sorted keys, and identities are compared as text. */
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    /** The fields the operator owns; anything else (status from other tools, managedFields) is not compared. */
    private static final List<String> CONTENT = List.of("source", "configuration", "summary", "results");

    private ReportBody() {
    }

    /** The HardeningPolicy a report belongs to. */
    public record Owner(String apiVersion, String kind, String namespace, String name, String uid) {

        String ref() {
            return namespace + "/" + name;
        }
    }

    /** {@code hardening.<policy namespace>.<policy name>}: one per policy and namespace, recognisable in listings. */
    public static String name(Owner owner) {
        return "hardening." + owner.namespace() + "." + owner.name();
    }

    public static GenericKubernetesResource desired(ReportFormat format, Owner owner, NamespaceAudit audit,
                                                    int maxResults, Instant now, GenericKubernetesResource existing) {
        Map<String, Map<String, Object>> timestamps = timestamps(existing);
        GenericKubernetesResource report = new GenericKubernetesResource();
        report.setApiVersion(format.apiVersion());
        report.setKind(format.kind());
        ObjectMetaBuilder metadata = new ObjectMetaBuilder().withName(name(owner)).withNamespace(audit.namespace())
                .addToLabels(MANAGED_BY, SOURCE).addToAnnotations(POLICY_ANNOTATION, owner.ref());
        // a namespaced owner must be in the dependent's namespace: the cluster default's reports elsewhere are
        // removed by the operator itself (ReportWriter.sweep) instead of the garbage collector
        if (owner.namespace().equals(audit.namespace())) {
            metadata.addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.apiVersion())
                    .withKind(owner.kind()).withName(owner.name()).withUid(owner.uid()).build());
        }
        report.setMetadata(metadata.build());
        Map<String, Object> content = report.getAdditionalProperties();
        if (format.openReports()) {
            content.put("source", SOURCE);
            content.put("configuration", Map.of("limits", Map.of("maxResults", maxResults)));
        }
        NamespaceAudit.ReportCounts counts = audit.counts();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("pass", counts.pass());
        summary.put("fail", counts.fail());
        summary.put("warn", counts.warn());
        summary.put("error", 0);
        summary.put("skip", counts.skip());
        content.put("summary", summary);
        List<Map<String, Object>> results = new ArrayList<>();
        for (ReportResult r : audit.results()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("source", SOURCE);
            result.put("policy", owner.ref());
            result.put("rule", r.rule());
            result.put("result", r.result());
            result.put("scored", true);
            result.put("message", r.message());
            result.put("properties", Map.of("mode", r.mode()));
            Map<String, Object> subject = new LinkedHashMap<>();
            subject.put("apiVersion", r.apiVersion());
            subject.put("kind", r.kind());
            subject.put("namespace", r.namespace());
            subject.put("name", r.name());
            if (r.uid() != null) {
                subject.put("uid", r.uid());
            }
            result.put("resources", List.of(subject));
            Map<String, Object> kept = timestamps.get(identity(result));
            result.put("timestamp", kept != null ? kept : Map.of("seconds", now.getEpochSecond(), "nanos", 0));
            results.add(result);
        }
        content.put("results", results);
        return report;
    }

    /** True when {@code existing} carries the same content, labels, annotation and owners as {@code desired}. */
    public static boolean same(GenericKubernetesResource desired, GenericKubernetesResource existing) {
        if (existing == null) {
            return false;
        }
        Map<String, String> labels = existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels();
        Map<String, String> annotations = existing.getMetadata().getAnnotations() == null ? Map.of()
                : existing.getMetadata().getAnnotations();
        if (!Objects.equals(labels.get(MANAGED_BY), SOURCE)
                || !Objects.equals(annotations.get(POLICY_ANNOTATION), desired.getMetadata().getAnnotations().get(POLICY_ANNOTATION))
                || !tree(desired.getMetadata().getOwnerReferences()).equals(tree(existing.getMetadata().getOwnerReferences()))) {
            return false;
        }
        for (String field : CONTENT) {
            if (!tree(desired.getAdditionalProperties().get(field)).equals(tree(existing.getAdditionalProperties().get(field)))) {
                return false;
            }
        }
        return true;
    }

    /** Through JSON text, so that 1 as an int and 1 as a long (as the API server's answer parses) compare equal. */
    private static JsonNode tree(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> timestamps(GenericKubernetesResource existing) {
        Map<String, Map<String, Object>> kept = new HashMap<>();
        if (existing != null && existing.getAdditionalProperties().get("results") instanceof List<?> results) {
            for (Object o : results) {
                if (o instanceof Map<?, ?> result && result.get("timestamp") instanceof Map<?, ?> timestamp) {
                    kept.put(identity((Map<String, Object>) result), (Map<String, Object>) timestamp);
                }
            }
        }
        return kept;
    }

    /** Everything of a result but its timestamp. */
    private static String identity(Map<String, Object> result) {
        Map<String, Object> copy = new LinkedHashMap<>(result);
        copy.remove("timestamp");
        return tree(copy).toString();
    }
}

package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hardening.rules.WorkloadKind;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server refuses before admission, for the fields the rules read: quantities that do not parse,
 * negative resources, requests above limits, and the required fields without which there is nothing to judge (a
 * kustomize patch: a Deployment without containers). In a cluster the webhook never sees such objects; offline the CLI
 * is the only judge, so it refuses them in kubectl's words instead of passing them. Every problem, each with its path.
 */
final class ApiServerValidation {

    /** A field the API server refuses: its path, and the text after it, as in {@code kubectl apply}'s message. */
    record Problem(String path, String text) {
    }

    /** Kinds whose spec requires a selector (batch kinds default theirs). */
    private static final Set<WorkloadKind> SELECTOR_REQUIRED = Set.of(WorkloadKind.DEPLOYMENT, WorkloadKind.REPLICA_SET,
            WorkloadKind.STATEFUL_SET, WorkloadKind.DAEMON_SET);

    private ApiServerValidation() {
    }

    static List<Problem> problems(JsonNode object, WorkloadKind kind) {
        List<Problem> problems = new ArrayList<>();
        JsonNode metadata = object.path("metadata");
        if (metadata.path("name").asText("").isEmpty() && metadata.path("generateName").asText("").isEmpty()) {
            problems.add(new Problem("metadata.name", "Required value: name or generateName is required"));
        }
        // missing only: a value of the wrong type is the decoder's to name ("unexpected value or type")
        if (SELECTOR_REQUIRED.contains(kind) && missing(object.path("spec").path("selector"))) {
            problems.add(new Problem("spec.selector", "Required value"));
        }
        if (kind.targetType() != dev.hardening.rules.Target.Type.POD_SPEC) {
            // a Service has no pod spec: its required fields are the API server's defaults or its schema's
            return problems;
        }
        String specPath = kind.specPath();
        JsonNode spec = at(object, specPath);
        JsonNode containers = spec.path("containers");
        if (missing(containers) || (containers.isArray() && containers.isEmpty())) {
            problems.add(new Problem(specPath + ".containers", "Required value"));
        }
        for (String list : List.of("initContainers", "containers")) {
            JsonNode items = spec.path(list);
            for (int i = 0; items.isArray() && i < items.size(); i++) {
                String path = specPath + "." + list + "[" + i + "]";
                JsonNode container = items.get(i);
                if (container.path("name").asText("").isEmpty()) {
                    problems.add(new Problem(path + ".name", "Required value"));
                }
                // only a Pod needs an image: a template's may be set later by config management (the API's own words)
                if (kind == WorkloadKind.POD && container.path("image").asText("").isBlank()) {
                    problems.add(new Problem(path + ".image", "Required value"));
                }
                resources(container.path("resources"), path + ".resources", problems);
            }
        }
        resources(spec.path("resources"), specPath + ".resources", problems);
        return problems;
    }

    /** Quantities parse, none is negative, and no request is above its limit (ValidateResourceRequirements). */
    private static void resources(JsonNode resources, String path, List<Problem> problems) {
        Map<String, BigDecimal> limits = quantities(resources.path("limits"), path + ".limits", problems);
        Map<String, BigDecimal> requests = quantities(resources.path("requests"), path + ".requests", problems);
        requests.forEach((name, request) -> {
            BigDecimal limit = limits.get(name);
            if (limit != null && request.compareTo(limit) > 0) {
                problems.add(new Problem(path + ".requests", "Invalid value: \"" + text(resources.path("requests").get(name))
                        + "\": must be less than or equal to " + name + " limit of " + text(resources.path("limits").get(name))));
            }
        });
    }

    private static Map<String, BigDecimal> quantities(JsonNode map, String path, List<Problem> problems) {
        Map<String, BigDecimal> values = new java.util.LinkedHashMap<>();
        if (!map.isObject()) {
            return values;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String field = path + "[" + entry.getKey() + "]";
            try {
                BigDecimal value = Quantity.parse(entry.getValue());
                if (value.signum() < 0) {
                    problems.add(new Problem(field, "Invalid value: \"" + text(entry.getValue())
                            + "\": must be greater than or equal to 0"));
                } else {
                    values.put(entry.getKey(), value);
                }
            } catch (Quantity.Invalid e) {
                // the API server does not echo what failed to parse: it may be a template placeholder or worse
                problems.add(new Problem(field, e.getMessage()));
            }
        }
        return values;
    }

    /** A quantity that parsed, as written: digits, a sign, a dot and a unit suffix, nothing else. */
    private static String text(JsonNode quantity) {
        return quantity.isTextual() ? quantity.textValue().strip() : quantity.toString();
    }

    private static boolean missing(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    private static JsonNode at(JsonNode object, String path) {
        JsonNode node = object;
        for (String segment : path.split("\\.")) {
            node = node.path(segment);
        }
        return node;
    }
}

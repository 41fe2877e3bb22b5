package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hardening.engine.FieldError;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.HardeningPolicySpec;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.policy.PolicyMode;
import dev.hardening.rules.Profile;
import dev.hardening.rules.ObjectReader;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The policies of a check: HardeningPolicy manifests, compiled and validated exactly as the operator does (the same
 * {@link PolicyCompiler}, the same field errors as its InvalidSpec condition), or one profile and mode.
 */
final class PolicyLoader {

    static final String API_VERSION = HardeningPolicy.GROUP + "/" + HardeningPolicy.VERSION;

    private PolicyLoader() {
    }

    /** A policy with only a profile and a mode, compiled like a manifest that says just that. */
    static CheckPolicy profile(Profile profile, PolicyMode mode) {
        HardeningPolicy policy = new HardeningPolicy();
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(profile.name());
        policy.setMetadata(metadata);
        HardeningPolicySpec spec = new HardeningPolicySpec();
        spec.setProfile(profile);
        spec.setMode(mode);
        policy.setSpec(spec);
        return new CheckPolicy(PolicyCompiler.compile(policy).policy(), profile.name(), "--profile");
    }

    /**
     * Every HardeningPolicy of {@code documents}; other kinds in the files (a Namespace beside the policy) are
     * ignored. Every problem of every policy goes to {@code errors}, one line each.
     */
    static List<CheckPolicy> fromDocuments(List<Document> documents, List<String> errors) {
        List<CheckPolicy> policies = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Document document : documents) {
            JsonNode object = document.object();
            if (!HardeningPolicy.class.getSimpleName().equals(object.path("kind").asText())) {
                continue;
            }
            Source source = document.source();
            FieldPositions positions = document.positions();
            String apiVersion = object.path("apiVersion").asText();
            if (!API_VERSION.equals(apiVersion)) {
                errors.add(source.at(positions.of("apiVersion")) + ": HardeningPolicy apiVersion must be "
                        + API_VERSION + ", not \"" + apiVersion + "\"");
                continue;
            }
            HardeningPolicy policy;
            try {
                policy = ObjectReader.read(object, HardeningPolicy.class);
            } catch (ObjectReader.UnreadableObjectException e) {
                errors.add(source.at(positions.of(e.path())) + ": " + label(object) + ": " + unreadable(object, e));
                continue;
            }
            PolicyCompiler.Compilation compilation = PolicyCompiler.compile(policy);
            for (FieldError error : compilation.errors()) {
                errors.add(source.at(positions.of(error.path())) + ": " + label(object) + ": " + error);
            }
            String name = label(object).substring("HardeningPolicy ".length()).replace("\"", "");
            String origin = source.at(positions.start());
            String previous = seen.putIfAbsent(name, origin);
            if (previous != null) {
                errors.add(origin + ": " + label(object) + " is defined twice (also at " + previous + ")");
            } else if (compilation.valid()) {
                policies.add(new CheckPolicy(compilation.policy(), name, origin));
            }
        }
        return policies;
    }

    /** {@code HardeningPolicy "demo/hardened"}, or without namespace when the manifest sets none. */
    private static String label(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        String namespace = metadata.path("namespace").asText("");
        String name = metadata.path("name").asText("");
        return "HardeningPolicy \"" + (namespace.isEmpty() ? "" : namespace + "/") + (name.isEmpty() ? "(unnamed)" : name) + "\"";
    }

    /** In the API server's words: an unknown enum value is {@code Unsupported value} with the supported ones. */
    private static String unreadable(JsonNode object, ObjectReader.UnreadableObjectException e) {
        JsonNode value = object.at(pointer(e.path()));
        if (!e.acceptedValues().isEmpty() && value.isTextual()) {
            return e.path() + ": Unsupported value: \"" + value.asText() + "\": supported values: "
                    + e.acceptedValues().stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
        }
        return (e.path().isEmpty() ? "" : e.path() + ": ") + "Invalid value: unexpected value or type";
    }

    /** {@code spec.rules[0].id} → {@code /spec/rules/0/id} */
    private static String pointer(String path) {
        StringBuilder pointer = new StringBuilder();
        for (Object segment : FieldPositions.segments(path)) {
            pointer.append('/').append(String.valueOf(segment).replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }
}

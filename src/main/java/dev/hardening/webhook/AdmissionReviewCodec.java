package dev.hardening.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Reads AdmissionReview v1 requests and writes responses; every failure becomes a short message, never a trace. */
final class AdmissionReviewCodec {

    static final String API_VERSION = "admission.k8s.io/v1";
    static final String KIND = "AdmissionReview";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private AdmissionReviewCodec() {
    }

    static AdmissionRequest parse(byte[] body) throws BadReviewException {
        JsonNode review;
        try {
            review = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BadReviewException("malformed JSON: " + firstLine(e));
        }
        if (review == null || !review.isObject()) {
            throw new BadReviewException("expected an AdmissionReview object");
        }
        String apiVersion = review.path("apiVersion").asText("");
        String kind = review.path("kind").asText("");
        if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
            throw new BadReviewException("expected apiVersion " + API_VERSION + " and kind " + KIND + ", got \""
                    + clip(apiVersion) + "\" and \"" + clip(kind) + "\"");
        }
        JsonNode request = review.get("request");
        if (request == null || !request.isObject()) {
            throw new BadReviewException("AdmissionReview has no request");
        }
        String uid = request.path("uid").asText("");
        if (uid.isEmpty()) {
            throw new BadReviewException("AdmissionReview request has no uid");
        }
        JsonNode resource = request.path("resource");
        return new AdmissionRequest(uid,
                request.path("kind").path("kind").asText(""),
                resource.path("group").asText(""),
                resource.path("resource").asText(""),
                request.path("subResource").asText(""),
                request.path("operation").asText(""),
                request.path("namespace").asText(""),
                request.path("name").asText(""),
                request.path("dryRun").asBoolean(false),
                nullIfAbsent(request.get("object")),
                nullIfAbsent(request.get("oldObject")));
    }

    static byte[] write(AdmissionResponse response) {
        ObjectNode review = MAPPER.createObjectNode();
        review.put("apiVersion", API_VERSION);
        review.put("kind", KIND);
        ObjectNode body = review.putObject("response");
        body.put("uid", response.uid());
        body.put("allowed", response.allowed());
        if (!response.allowed()) {
            ObjectNode status = body.putObject("status");
            status.put("code", response.code());
            status.put("reason", response.reason());
            status.put("message", response.message());
        }
        putWarnings(body, response.warnings());
        putAnnotations(body, response.auditAnnotations());
        try {
            return MAPPER.writeValueAsBytes(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an AdmissionReview response", e);
        }
    }

    private static void putWarnings(ObjectNode body, List<String> warnings) {
        if (!warnings.isEmpty()) {
            var array = body.putArray("warnings");
            warnings.forEach(array::add);
        }
    }

    private static void putAnnotations(ObjectNode body, Map<String, String> annotations) {
        if (!annotations.isEmpty()) {
            ObjectNode node = body.putObject("auditAnnotations");
            annotations.forEach(node::put);
        }
    }

    private static JsonNode nullIfAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    /** Jackson's first message line names the problem and position without echoing large input. */
    private static String firstLine(IOException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return clip(newline < 0 ? message : message.substring(0, newline));
    }

    private static String clip(String text) {
        return text.length() <= 120 ? text : text.substring(0, 119) + "\u2026";
    }
}

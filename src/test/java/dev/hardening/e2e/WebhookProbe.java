package dev.hardening.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * An AdmissionReview sent straight to one operator's webhook port, as the API server would send it: for checking a
 * replica while no API server can call it. The certificate is not checked (it is the operator's own, on loopback).
 */
final class WebhookProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .sslContext(ControlPlane.trustAllContext()).connectTimeout(Duration.ofSeconds(2)).build();

    private WebhookProbe() {
    }

    /** Whether the webhook at {@code host:port} allows creating the Pod in {@code podYaml}; throws when it does not answer. */
    static boolean allows(String host, int port, String podYaml) throws IOException, InterruptedException {
        JsonNode pod = JSON.readTree(Serialization.asJson(Serialization.unmarshal(podYaml)));
        ObjectNode request = JSON.createObjectNode()
                .put("uid", UUID.randomUUID().toString())
                .put("name", pod.path("metadata").path("name").asText())
                .put("namespace", pod.path("metadata").path("namespace").asText())
                .put("operation", "CREATE");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.putObject("userInfo").put("username", "webhook-probe");
        request.set("object", pod);
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        review.set("request", request);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/validate"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(review))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("webhook answered HTTP " + response.statusCode() + ": " + response.body());
        }
        JsonNode allowed = JSON.readTree(response.body()).path("response").path("allowed");
        if (!allowed.isBoolean()) {
            throw new IOException("webhook answered without response.allowed: " + response.body());
        }
        return allowed.booleanValue();
    }
}

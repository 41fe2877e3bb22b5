package dev.hardening.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The HTTPS endpoint itself: TLS only, bad input answered briefly, certificates swapped without restart. */
@QuarkusTest
@TestProfile(WebhookTestProfile.class)
class WebhookEndpointTest {

    @Inject
    WebhookServer server;

    @Inject
    TestTlsMaterialSource tls;

    @AfterEach
    void restoreCertificate() {
        tls.publish(1);
        await().ignoreExceptions().until(() -> WebhookTls.servedFingerprint(server.port(), 1) != null);
    }

    private RequestSpecification https() {
        return RestAssured.given().baseUri("https://localhost").port(server.port())
                .trustStore(WebhookTls.trustStore(1)).contentType("application/json");
    }

    @Test
    void servesNothingOverPlainHttp() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = socket.getInputStream().readNBytes(12);
            assertThat(new String(reply, StandardCharsets.US_ASCII)).doesNotStartWith("HTTP/1.1");
        } catch (IOException expected) {
            // the TLS server closing the connection is just as good
        }
    }

    @Test
    void malformedJsonIsABadRequestWithoutStackTrace() {
        https().body("{not json").post("/validate").then().statusCode(400)
                .contentType(containsString("text/plain"))
                .body(containsString("bad AdmissionReview: malformed JSON"))
                .body(not(containsString("at com.fasterxml")));
    }

    @Test
    void missingRequestIsABadRequest() {
        https().body("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}").post("/validate")
                .then().statusCode(400).body(equalTo("bad AdmissionReview: AdmissionReview has no request\n"));
    }

    @Test
    void wrongApiVersionIsABadRequest() {
        https().body("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\"}}")
                .post("/validate").then().statusCode(400)
                .body(equalTo("bad AdmissionReview: expected apiVersion admission.k8s.io/v1 and kind AdmissionReview, "
                        + "got \"admission.k8s.io/v1beta1\" and \"AdmissionReview\"\n"));
    }

    @Test
    void oversizedBodyIsRejectedWith413() {
        byte[] big = new byte[3 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        https().body(big).post("/validate").then().statusCode(413)
                .body(equalTo("request body larger than 3145728 bytes\n"));
    }

    @Test
    void http2IsNegotiatedAndHttp11StillServed() throws Exception {
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            HttpResponse<String> response = HttpClient.newBuilder().version(version).sslContext(WebhookTls.trusting(1))
                    .build().send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/validate"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(version);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).startsWith("bad AdmissionReview: malformed JSON");
        }
    }

    @Test
    void otherPathsAndMethodsAreNotServed() {
        https().get("/validate").then().statusCode(405).header("Allow", "POST");
        https().body("{}").post("/mutate").then().statusCode(404);
    }

    @Test
    void aRotatedCertificateIsServedWithoutRestart() {
        String first = WebhookTls.servedFingerprint(server.port(), 1);
        assertThat(server.servedCertificateFingerprint()).contains(first);

        tls.publish(2);

        await().until(() -> server.servedCertificateFingerprint().filter(f -> !f.equals(first)).isPresent());
        String second = WebhookTls.servedFingerprint(server.port(), 2);
        assertThat(second).isNotEqualTo(first).isEqualTo(server.servedCertificateFingerprint().orElseThrow());
        assertThatThrownBy(() -> WebhookTls.servedFingerprint(server.port(), 1))
                .hasCauseInstanceOf(SSLHandshakeException.class);
        https().trustStore(WebhookTls.trustStore(2)).body("{}").post("/validate").then().statusCode(400);
    }
}

package dev.hardening.webhook;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;

/** Client-side TLS for tests: trust exactly one test CA, as the API server trusts the caBundle. */
public final class WebhookTls {

    private WebhookTls() {
    }

    public static KeyStore trustStore(int pair) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
                    TestTlsMaterialSource.resource("tls/ca" + pair + ".crt").getBytes(StandardCharsets.US_ASCII)));
            store.setCertificateEntry("ca" + pair, ca);
            return store;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static SSLContext trusting(int pair) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(pair));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Vert.x's HTTP/2 client trusting CA 1, for what the JDK 17 client cannot do: it drops every stream on any GOAWAY,
     * even those the server still answers.
     */
    public static io.vertx.core.http.HttpClient http2Client(io.vertx.core.Vertx vertx) {
        return vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setSsl(true).setUseAlpn(true)
                .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertValue(
                        io.vertx.core.buffer.Buffer.buffer(TestTlsMaterialSource.resource("tls/ca1.crt")))));
    }

    /** Handshakes with a fresh connection trusting CA {@code pair} and returns the served leaf's SHA-256. */
    public static String servedFingerprint(int port, int pair) {
        try (SSLSocket socket = (SSLSocket) trusting(pair).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            Certificate leaf = socket.getSession().getPeerCertificates()[0];
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.hardening.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the leaf certificate a TLS server presents. It trusts anything on purpose: the handshake only tells the
 * leader which certificate a replica serves; no request is sent and nothing received is believed beyond that.
 */
public final class TlsProbe {

    private TlsProbe() {
    }

    /** SHA-256 fingerprint of the served leaf. */
    public static String servedFingerprint(String host, int port, Duration timeout) throws IOException {
        try (SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.startHandshake();
            return Pem.fingerprint((X509Certificate) socket.getSession().getPeerCertificates()[0]);
        }
    }

    private static SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new RecordOnly()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS unavailable", e);
        }
    }

    private static final class RecordOnly implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // accepted: the caller only reads the fingerprint
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

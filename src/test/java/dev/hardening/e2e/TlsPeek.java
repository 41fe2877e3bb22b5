package dev.hardening.e2e;

import javax.net.ssl.SSLSocket;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Reads which certificate a loopback TLS server presents; sends nothing. */
final class TlsPeek {

    private TlsPeek() {
    }

    static String leafSha256(String host, int port) {
        try (SSLSocket socket = (SSLSocket) ControlPlane.trustAllContext().getSocketFactory().createSocket(host, port)) {
            socket.startHandshake();
            byte[] leaf = socket.getSession().getPeerCertificates()[0].getEncoded();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf));
        } catch (Exception e) {
            throw new IllegalStateException("TLS handshake with " + host + ":" + port + " failed: " + e.getMessage(), e);
        }
    }
}

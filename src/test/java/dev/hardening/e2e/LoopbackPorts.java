package dev.hardening.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free TCP ports on 127.0.0.1 (or another local address), never the same one twice in a JVM. */
final class LoopbackPorts {

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private LoopbackPorts() {
    }

    static int free() {
        return freeOn(InetAddress.getLoopbackAddress());
    }

    /** A free port on {@code address} (a replica's address, see {@link Replicas}). */
    static synchronized int freeOn(InetAddress address) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, address)) {
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port on " + address.getHostAddress());
    }
}

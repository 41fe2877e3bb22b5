package dev.hardening.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets a process holds now, read from {@code /proc/<pid>/fd} and the {@code /proc/<pid>/net/tcp} and
 * {@code tcp6} of its own network namespace (a JVM's sockets are IPv6 ones with IPv4-mapped addresses): whom it listens for and whom it talks to. How the harness shows that no project process
 * uses the machine's own external address.
 */
record SocketAudit(String local, int localPort, String remote, int remotePort, boolean listening) {

    private static final HexFormat HEX = HexFormat.of();

    /** Every TCP socket (listening or connected) of {@code pid}; empty when the process is gone. */
    static List<SocketAudit> of(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed between the listing and the read
                }
            }
            List<SocketAudit> sockets = new ArrayList<>();
            for (String table : List.of("tcp", "tcp6")) {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && !f[0].equals("sl") && inodes.contains(f[9])) {
                        String[] l = f[1].split(":");
                        String[] r = f[2].split(":");
                        sockets.add(new SocketAudit(address(l[0]), Integer.parseInt(l[1], 16), address(r[0]),
                                Integer.parseInt(r[1], 16), f[3].equals("0A")));
                    }
                }
            }
            return sockets;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Whether this socket is bound to or connected to one of {@code addresses}. */
    boolean uses(List<String> addresses) {
        return addresses.contains(local) || (!listening && addresses.contains(remote));
    }

    @Override
    public String toString() {
        return listening ? "listening on " + local + ":" + localPort
                : local + ":" + localPort + " -> " + remote + ":" + remotePort;
    }

    /**
     * /proc/net/tcp{,6} write an address as 32-bit words of hex digits, each in the host's (little-endian) byte
     * order; an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) reads as its IPv4 address.
     */
    private static String address(String hex) {
        byte[] raw = HEX.parseHex(hex);
        byte[] b = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                b[word + i] = raw[word + 3 - i];
            }
        }
        try {
            // getByAddress turns an IPv4-mapped address into an Inet4Address by itself
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.hardening.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real OCI registry on loopback for the tests of {@code hardening pin}: {@code crane registry serve} from
 * github.com/google/go-containerregistry, built by {@code hack/ensure-k8s-tools.sh crane} (at once when cached), in
 * memory, plain HTTP. Images are pushed with crane; {@link #digest} is what the registry reports.
 */
public final class CraneRegistry implements AutoCloseable {

    private final Path crane;
    private final Path work;
    private final Process process;
    private final String host;

    private CraneRegistry(Path crane, Path work, Process process, String host) {
        this.crane = crane;
        this.work = work;
        this.process = process;
        this.host = host;
    }

    /** Starts it on a free loopback port; {@code work} holds its log and the layers pushed. */
    public static CraneRegistry start(Path work) throws Exception {
        Path crane = locateCrane();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String host = "127.0.0.1:" + port;
        Process process = new ProcessBuilder(crane.toString(), "registry", "serve", "--address", host)
                .redirectErrorStream(true).redirectOutput(work.resolve("registry.log").toFile()).start();
        await("crane registry serve listens on " + host).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .failFast("crane registry serve exited", () -> !process.isAlive())
                .until(() -> listening(port));
        return new CraneRegistry(crane, work, process, host);
    }

    /** {@code 127.0.0.1:<port>}, what image references name and {@code --insecure-registry} takes. */
    public String host() {
        return host;
    }

    /** Pushes a one-layer image whose only file holds {@code content}: a distinct digest per content. */
    public void push(String reference, String content) throws Exception {
        Path layer = work.resolve("layer-" + Integer.toHexString(content.hashCode()) + ".tar");
        Files.write(layer, tar("hello", content.getBytes(StandardCharsets.UTF_8)));
        crane("append", "-f", layer.toString(), "-t", host + "/" + reference);
    }

    /** The digest the registry serves for {@code reference} ({@code team/app:1}), as crane reports it. */
    public String digest(String reference) throws Exception {
        return crane("digest", host + "/" + reference).trim();
    }

    /** Runs crane against this plain-HTTP registry; fails the test unless it succeeds. */
    public String crane(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(crane.toString(), "--insecure"));
        command.addAll(List.of(args));
        Process run = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) {
            run.destroyForcibly();
            throw new AssertionError("crane " + String.join(" ", args) + " failed");
        }
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A tar archive with one regular file (ustar header, content, padding, two zero blocks). */
    private static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        int padded = (content.length + 511) / 512 * 512;
        byte[] tar = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(content, 0, tar, 512, content.length);
        return tar;
    }

    private static void put(byte[] block, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, block, offset, bytes.length);
    }

    /** {@code hack/ensure-k8s-tools.sh crane}: builds it on first use, then answers at once. */
    private static Path locateCrane() throws Exception {
        Process process = new ProcessBuilder("hack/ensure-k8s-tools.sh", "crane")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("hack/ensure-k8s-tools.sh crane failed");
        }
        return out.lines().filter(l -> l.startsWith("crane=")).map(l -> Path.of(l.substring("crane=".length())))
                .findFirst().orElseThrow(() -> new IllegalStateException("no crane= line from hack/ensure-k8s-tools.sh"));
    }
}

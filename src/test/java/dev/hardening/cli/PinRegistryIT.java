package dev.hardening.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code hardening pin} against a real OCI registry on loopback: {@code crane registry serve} from
 * github.com/google/go-containerregistry, built by {@code hack/ensure-k8s-tools.sh crane}. Images and a multi-arch
 * index are pushed with crane; what crane reports as their digests is what pin must write.
 */
class PinRegistryIT {

    private static Path crane;
    private static Process registry;
    private static String host;

    @TempDir
    static Path work;

    @BeforeAll
    static void startRegistry() throws Exception {
        crane = locateCrane();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        host = "127.0.0.1:" + port;
        registry = new ProcessBuilder(crane.toString(), "registry", "serve", "--address", host)
                .redirectErrorStream(true).redirectOutput(work.resolve("registry.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .failFast("crane registry serve exited", () -> !registry.isAlive())
                .until(() -> listening(port));
        push("team/app:1", "one");
        push("team/app:2", "two");
        crane("index", "append", "-m", host + "/team/app:1", "-m", host + "/team/app:2", "-t", host + "/team/multi:1");
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTagIsPinnedToTheDigestTheRegistryServesAndAnIndexToTheIndexDigest() throws Exception {
        Path file = work.resolve("pinned.yaml");
        Files.writeString(file, manifest("team/app:1", "team/multi:1"));

        Cli run = Cli.run("pin", "--write", "--insecure-registry", host, file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).containsExactly("pinned 2 images in 1 of 1 file");
        String app = digest("team/app:1");
        String index = digest("team/multi:1");
        assertThat(index).isNotEqualTo(app);
        assertThat(Files.readString(file)).isEqualTo(manifest("team/app:1@" + app, "team/multi:1@" + index));

        Cli check = Cli.run("pin", "--check", "--insecure-registry", host, file.toString());
        assertThat(check.exitCode()).isZero();
        assertThat(check.outLines()).containsExactly("2 images checked: 0 not pinned, 0 moved");
    }

    @Test
    void checkReportsAnUnpinnedImageAndATagThatMoved() throws Exception {
        push("team/moving:1", "first");
        String first = digest("team/moving:1");
        Path file = work.resolve("moving.yaml");
        Files.writeString(file, manifest("team/moving:1@" + first, "team/app:2"));
        push("team/moving:1", "second");
        String second = digest("team/moving:1");
        assertThat(second).isNotEqualTo(first);

        Cli check = Cli.run("pin", "--check", "--insecure-registry", host, file.toString());

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.outLines()).containsExactly(
                file + ":13:9: \"" + host + "/team/moving:1@" + first + "\": tag 1 has moved to " + second,
                file + ":15:9: \"" + host + "/team/app:2\" is not pinned by digest (its tag is at " + digest("team/app:2") + ")",
                "2 images checked: 1 not pinned, 1 moved");
        assertThat(check.err()).isEmpty();
    }

    @Test
    void anUnknownTagFailsWithOneLineAndTheFileIsUntouched() throws Exception {
        Path file = work.resolve("unknown.yaml");
        String original = manifest("team/app:1", "team/app:404");
        Files.writeString(file, original);

        Cli run = Cli.run("pin", "--write", "--insecure-registry", host, file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("error: " + file + ":15:9: \"" + host + "/team/app:404\": not found "
                + "(no tag 404 in " + host + "/team/app)");
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(file)).isEqualTo(original);
    }

    @Test
    void theDemosRefusedDeploymentThroughFixThenPinLeavesOnlyWhatNeedsAHuman() throws Exception {
        push("library/nginx:1.25", "nginx");
        Path file = work.resolve("demo.yaml");
        // the demo's refused Deployment, its image served by the test registry
        Files.writeString(file, Files.readString(Path.of("examples/demo/noncompliant-deployment.yaml"))
                .replace("image: nginx:1.25", "image: " + host + "/library/nginx:1.25"));

        Cli fix = Cli.run("fix", "--write", file.toString());
        Cli pin = Cli.run("pin", "--write", "--insecure-registry", host, file.toString());
        Cli check = Cli.run("check", file.toString(), "-o", "json");

        assertThat(fix.exitCode()).isEqualTo(1);
        assertThat(pin.exitCode()).isZero();
        assertThat(CheckCommandTest.texts(CheckCommandTest.json(check))).extracting(t -> t.replaceAll("\\].*", "]"))
                .containsExactly("deny [resource-limits]", "deny [resource-limits]", "deny [health-probes]",
                        "deny [health-probes]");
        assertThat(fix.outLines()).filteredOn(l -> l.contains("[resource-limits]") || l.contains("[health-probes]")).hasSize(4);
    }

    private static String manifest(String first, String second) {
        return """
                # two containers, two images
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: app
                        image: %s/%s   # the app
                      - name: side
                        image: "%s/%s"
                """.formatted(host, first, host, second);
    }

    /** Pushes a one-layer image whose only file holds {@code content}: a distinct digest per content. */
    private static void push(String reference, String content) throws Exception {
        Path layer = work.resolve("layer-" + content + ".tar");
        Files.write(layer, tar("hello", content.getBytes(StandardCharsets.UTF_8)));
        crane("append", "-f", layer.toString(), "-t", host + "/" + reference);
    }

    private static String digest(String reference) throws Exception {
        return crane("digest", host + "/" + reference).trim();
    }

    private static String crane(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(crane.toString(), "--insecure"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("crane " + String.join(" ", args)).isTrue();
        assertThat(process.exitValue()).as("crane " + String.join(" ", args)).isZero();
        return out;
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
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
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

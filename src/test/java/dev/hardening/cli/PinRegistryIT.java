package dev.hardening.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hardening pin} against a real OCI registry on loopback ({@link CraneRegistry}). Images and a multi-arch
 * index are pushed with crane; what crane reports as their digests is what pin must write.
 */
class PinRegistryIT {

    private static CraneRegistry registry;
    private static String host;

    @TempDir
    static Path work;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = CraneRegistry.start(work);
        host = registry.host();
        push("team/app:1", "one");
        push("team/app:2", "two");
        registry.crane("index", "append", "-m", host + "/team/app:1", "-m", host + "/team/app:2", "-t", host + "/team/multi:1");
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static void push(String reference, String content) throws Exception {
        registry.push(reference, content);
    }

    private static String digest(String reference) throws Exception {
        return registry.digest(reference);
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
}

package dev.hardening.e2e;

import dev.hardening.cli.CraneRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's refused Deployment through {@code kubectl hardening fix} then {@code kubectl hardening pin} (against a
 * real registry on loopback), then {@code kubectl apply} to the real API server and webhook in a Hardened namespace:
 * denied only for what needs a human, which fix listed; admitted once a human has added it.
 */
@EndToEnd
class FixPinAdmissionIT {

    private static final String NAMESPACE = "e2e-fix-pin";
    private static final Path CLI_DIR = HardeningCli.LAUNCHER.getParent();

    private static ControlPlane cluster;
    private static Kubectl kubectl;
    private static Fixtures fixtures;
    private static OperatorProcess operator;
    private static CraneRegistry registry;
    private static Path work;

    @BeforeAll
    static void start(EndToEnd.E2e e2e) throws Exception {
        assertThat(CLI_DIR.resolve("hardening-cli.jar")).as("./mvnw package builds the CLI").isRegularFile();
        cluster = e2e.cluster();
        kubectl = e2e.kubectl();
        work = e2e.dir();
        fixtures = e2e.fixtures();
        fixtures.namespace(OperatorProcess.NAMESPACE);
        fixtures.namespace(NAMESPACE);
        fixtures.apply(Fixtures.policy(NAMESPACE, "hardened", "Hardened", "Enforce"));
        operator = OperatorProcess.start(cluster, "fix-pin-it-operator", cluster.kubeconfig(), Map.of());
        fixtures.awaitPolicyReady(NAMESPACE, "hardened");
        fixtures.awaitWebhookDenies(NAMESPACE);
        registry = CraneRegistry.start(work);
        registry.push("library/nginx:1.25", "nginx");
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theRefusedDeploymentIsAdmittedAfterFixPinAndWhatFixListedForAHuman() throws IOException {
        Path file = work.resolve("web-insecure.yaml");
        Files.writeString(file, Files.readString(Project.root().resolve("examples/demo/noncompliant-deployment.yaml"))
                .replace("namespace: demo", "namespace: " + NAMESPACE)
                .replace("image: nginx:1.25", "image: " + registry.host() + "/library/nginx:1.25"));

        Kubectl.Result fix = plugin("fix", "--write", file.toString());
        Kubectl.Result pin = plugin("pin", "--write", "--insecure-registry", registry.host(), file.toString());

        assertThat(fix.exitCode()).as(fix.stderr()).isEqualTo(1);
        assertThat(pin.exitCode()).as(pin.stderr()).isZero();
        assertThat(pin.stdoutLines()).containsExactly("pinned 1 image in 1 of 1 file");
        List<String> human = fix.stdoutLines().stream().filter(l -> !l.contains("[image-digest]")).skip(1).toList();
        assertThat(human).extracting(l -> l.replaceAll(".*\\[([a-z-]+)\\].*", "$1"))
                .containsExactly("resource-limits", "resource-limits", "health-probes", "health-probes");

        Kubectl.Result denied = kubectl.run("apply", "-f", file.toString());
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).contains("violates HardeningPolicy \"" + NAMESPACE + "/hardened\" (4 problems)");
        List<String> problems = denied.stderrLines().stream().filter(l -> l.startsWith("- [")).toList();
        assertThat(problems).extracting(l -> l.replaceAll("^- \\[([a-z-]+)\\].*", "$1"))
                .containsExactly("resource-limits", "resource-limits", "health-probes", "health-probes");

        // what a human decides: the limits and the probes fix listed
        Files.writeString(file, Files.readString(file).replace("        securityContext:\n", """
                        resources:
                          limits: {cpu: 500m, memory: 128Mi}
                        livenessProbe: {httpGet: {path: /healthz, port: 8080}}
                        readinessProbe: {httpGet: {path: /ready, port: 8080}}
                        securityContext:
                """));

        Kubectl.Result admitted = kubectl.run("apply", "-f", file.toString());
        assertThat(admitted.exitCode()).as(admitted.stderr()).isZero();
        assertThat(admitted.stdout()).contains("deployment.apps/web-insecure created");
    }

    /** {@code kubectl hardening ...}: the real kubectl finding the packaged launcher on the PATH as a plugin. */
    private static Kubectl.Result plugin(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(cluster.tools().kubectl().toString(), "hardening"));
        command.addAll(List.of(args));
        return Kubectl.exec(command, null, Map.of(
                "PATH", CLI_DIR + File.pathSeparator + cluster.tools().kubectl().getParent() + File.pathSeparator
                        + System.getenv("PATH"),
                "JAVA_HOME", System.getProperty("java.home")));
    }
}

package dev.hardening.cli;

import dev.hardening.e2e.K8sTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged CLI as a user runs it, after {@code package}: {@code java -jar target/cli/hardening-cli.jar}, the
 * kubectl-hardening launcher found by the real kubectl as a plugin, and the real helm piping into it.
 */
class CliJarIT {

    private static final Path CLI_DIR = Path.of("target/cli").toAbsolutePath();
    private static final Path JAR = CLI_DIR.resolve("hardening-cli.jar");
    private static final String NONCOMPLIANT = "examples/demo/noncompliant-deployment.yaml";

    private static K8sTools tools;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void tools() {
        assertThat(JAR).as("./mvnw package builds the CLI jar").isRegularFile();
        tools = K8sTools.locate();
    }

    static Run run(List<String> command, String stdin) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("PATH", CLI_DIR + File.pathSeparator + tools.kubectl().getParent() + File.pathSeparator + env.get("PATH"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("no exit within 120 s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    static String launcher() {
        return CLI_DIR.resolve("kubectl-hardening").toString();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void theJarRunsInAPlainJavaProcessAndDeniesTheDemosDeployment() throws Exception {
        Run jar = run(List.of(java(), "-jar", JAR.toString(), "check", "-f", NONCOMPLIANT), "");

        assertThat(jar.err()).isEmpty();
        assertThat(jar.exitCode()).isEqualTo(1);
        List<String> lines = jar.out().lines().toList();
        assertThat(lines).hasSize(1 + 10 + 1 + 2);
        assertThat(lines.get(1)).startsWith(NONCOMPLIANT + ":17:9  Deployment/web-insecure  app  ");
        assertThat(lines).contains("1 object checked: 1 denied, 0 warned, 0 passed; 0 skipped");

        // the version comes from the jar's manifest, which only the packaged jar has
        assertThat(run(List.of(java(), "-jar", JAR.toString(), "--version"), "").out().strip())
                .matches("hardening \\d+\\.\\d+\\.\\d+.*").isNotEqualTo("hardening 0.0.0-dev");
    }

    @Test
    void onPathItIsTheKubectlPluginKubectlHardening() throws Exception {
        Run jar = run(List.of(java(), "-jar", JAR.toString(), "check", "-f", NONCOMPLIANT), "");
        Run plugin = run(List.of(tools.kubectl().toString(), "hardening", "check", "-f", NONCOMPLIANT), "");

        assertThat(plugin.err()).isEmpty();
        assertThat(plugin.exitCode()).isEqualTo(1);
        assertThat(plugin.out()).isEqualTo(jar.out());
        Run list = run(List.of(tools.kubectl().toString(), "plugin", "list"), "");
        assertThat(list.out()).contains(CLI_DIR.resolve("kubectl-hardening").toString());
    }

    @Test
    void helmTemplatePipedIntoItAndTheInProcessHelmAgree() throws Exception {
        String rendered = run(List.of(tools.helm().toString(), "template", "hardening-operator", "charts/hardening-operator",
                "-n", "hardening-system"), "").out();
        Run piped = run(List.of(launcher(), "check", "-f", "-", "-o", "json", "--fail-on", "warn"), rendered);
        Run inProcess = run(List.of(launcher(), "check", "--helm", "charts/hardening-operator", "--release",
                "hardening-operator", "--namespace", "hardening-system", "-o", "json", "--fail-on", "warn"), "");

        assertThat(piped.err()).isEmpty();
        assertThat(piped.exitCode()).isZero();
        assertThat(piped.out()).contains("\"kind\" : \"Deployment\"", "\"verdict\" : \"passed\"");
        assertThat(inProcess.err()).isEmpty();
        assertThat(inProcess.exitCode()).isZero();
        assertThat(inProcess.out()).contains("\"file\" : \"charts/hardening-operator/templates/deployment.yaml\"");
    }

    @Test
    void theJarHoldsTheEngineAndTheCliButNoFrameworkNorClient() throws IOException {
        List<String> ours = new ArrayList<>();
        List<String> framework = new ArrayList<>();
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            zip.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(name -> {
                if (name.startsWith("dev/hardening/")) {
                    ours.add(name.substring("dev/hardening/".length(), name.indexOf('/', "dev/hardening/".length())));
                }
                if (name.matches("(io/quarkus|io/vertx|io/netty|io/smallrye|jakarta|org/jboss|io/javaoperatorsdk|okhttp3"
                        + "|io/fabric8/kubernetes/client/(dsl|impl|http|informers|extended)).*")) {
                    framework.add(name);
                }
            });
        }
        assertThat(ours).containsOnly("rules", "policy", "cli");
        assertThat(framework).isEmpty();
    }
}

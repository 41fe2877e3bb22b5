package dev.hardening.cli;

import dev.hardening.testing.Manifests;
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
        return run(command, stdin, Map.of());
    }

    static Run run(List<String> command, String stdin, Map<String, String> extraEnv) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.putAll(extraEnv);
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
    void helmTemplatePipedIntoItAndCheckHelmAgree() throws Exception {
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

    /** Issue 26, 2: a merge key with an override was "duplicate key" and nothing was checked. */
    @Test
    void yamlIsReadAsKubectlReadsItMergeKeysAndTheLastDuplicate() throws Exception {
        Path dir = Files.createTempDirectory("cli-yaml");
        Path merged = Files.writeString(dir.resolve("merged.yaml"), Manifests.COMPLIANT
                .replace("      - name: app\n", "      - &app\n        name: app\n")
                + "      - <<: *app\n        name: sidecar\n        image: nginx:1.25\n        image: nginx:1.26\n");

        Run run = run(List.of(launcher(), "check", "-f", merged.toString(), "-o", "json"), "");

        assertThat(run.err()).isEqualTo("warning: " + merged + ":30:9: duplicate key \"image\": the last value is used, "
                + "as kubectl uses it\n");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("image \\\"nginx:1.26\\\" is not pinned by digest", "\"line\" : 30")
                .doesNotContain("nginx:1.25");
    }

    /** Issue 26, 3: switches, counts, commands, paths and user names were "plaintext secrets". */
    @Test
    void noPlaintextSecretsPassesWhatCannotBeASecretAndStillDeniesSecrets() throws Exception {
        Run allowed = run(List.of(launcher(), "check", "-f",
                "src/test/resources/rules/no-plaintext-secrets/allowed/statefulset-switches-counts-commands-paths.yaml",
                "-o", "json"), "");
        Run denied = run(List.of(launcher(), "check", "-f",
                "src/test/resources/rules/no-plaintext-secrets/denied/statefulset-secrets-that-look-harmless.yaml",
                "-o", "json"), "");

        assertThat(allowed.err()).isEmpty();
        assertThat(allowed.out()).contains("\"rule\" : \"image-digest\"").doesNotContain("\"rule\" : \"no-plaintext-secrets\"");
        assertThat(denied.out().split("\"rule\" : \"no-plaintext-secrets\"", -1)).hasSize(6);
    }

    /** Issue 26, 4: limits of -1, "${CPU_LIMIT}", true and a kustomize patch passed; the API server refuses them. */
    @Test
    void whatTheApiServerRefusesIsRefusedWithExitTwo() throws Exception {
        Path dir = Files.createTempDirectory("cli-invalid");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), Manifests.COMPLIANT.replace(
                "limits: {cpu: 500m, memory: 128Mi}", "limits: {cpu: \"${CPU_LIMIT}\", memory: -1Gi}"));

        Run run = run(List.of(launcher(), "check", bad.toString()), "");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList()).containsExactly(
                "error: " + bad + ":19:20: Deployment \"web\" is invalid: spec.template.spec.containers[0].resources.limits[cpu]: "
                        + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                "error: " + bad + ":19:41: Deployment \"web\" is invalid: spec.template.spec.containers[0].resources.limits[memory]: "
                        + "Invalid value: \"-1Gi\": must be greater than or equal to 0");
    }

    /**
     * Issue 26, 5: one unreadable file meant nothing was checked, and a big file took its size many times over in
     * memory (27 MB: 840 MB). Now the rest is checked, and 30 MB of documents fit a 48 MB heap.
     */
    @Test
    void keepGoingChecksTheRestAndABigFileStreamsThroughASmallHeap() throws Exception {
        Path dir = Files.createTempDirectory("cli-big");
        Files.writeString(dir.resolve("a-broken.yaml"), "kind: [\n");
        Path big = dir.resolve("b-big.yaml");
        long documents = 0;
        try (var out = Files.newBufferedWriter(big)) {
            while (Files.size(big) < 30L * 1024 * 1024) {
                for (int i = 0; i < 1000; i++, documents++) {
                    out.write(Manifests.COMPLIANT.replace("name: web", "name: web-" + documents) + "---\n");
                }
                out.flush();
            }
        }

        Run run = run(List.of(java(), "-Xmx48m", "-XX:+UseSerialGC", "-jar", JAR.toString(), "check", dir.toString(),
                "--keep-going"), "");

        assertThat(run.out().lines().toList()).contains(documents + " objects checked: 0 denied, 0 warned, " + documents
                + " passed; 0 skipped; 1 unreadable (listed on standard error)");
        assertThat(run.err().lines().toList()).containsExactly("error: " + dir.resolve("a-broken.yaml")
                + ":2:1: invalid YAML: expected the node content, but found '<stream end>'");
        assertThat(run.exitCode()).isEqualTo(2);
    }

    /**
     * Issue 26, 1: --helm rendered as an install dry run: a chart's lookup asked the current kubeconfig's cluster,
     * and every chart was rendered for Kubernetes 1.20. Now it renders as helm template: nothing is sent, lookup is
     * empty, and the Kubernetes and API versions are the user's (default 1.34).
     */
    @Test
    void helmRendersAsHelmTemplateWithoutAskingAnyClusterAndForTheVersionsGiven() throws Exception {
        Path chart = Files.createTempDirectory("cli-helm").resolve("lookup");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: lookup\nversion: 0.1.0\nkubeVersion: \">=1.21.0-0\"\n");
        Files.writeString(chart.resolve("templates/pod.yaml"), """
                {{- $ns := lookup "v1" "Namespace" "" "kube-system" }}
                apiVersion: v1
                kind: Pod
                metadata:
                  name: lookup-{{ if $ns }}found{{ else }}empty{{ end }}-{{ .Capabilities.KubeVersion.Minor }}-{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}
                spec:
                  containers:
                  - {name: app, image: nginx:1.25}
                """);
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"kube-system\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path kubeconfig = Files.writeString(chart.getParent().resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: recorder, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: ci, user: {token: not-a-real-token}}]
                    contexts: [{name: ci, context: {cluster: recorder, user: ci}}]
                    current-context: ci
                    """.formatted(server.getAddress().getPort()));
            Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toString());

            Run defaults = run(List.of(launcher(), "check", "--helm", chart.toString(), "-o", "json"), "", env);
            Run chosen = run(List.of(launcher(), "check", "--helm", chart.toString(), "--kube-version", "1.29.0",
                    "--api-versions", "monitoring.coreos.com/v1", "-o", "json"), "", env);

            assertThat(defaults.err()).isEmpty();
            assertThat(defaults.out()).contains("\"name\" : \"lookup-empty-34-false\"");
            assertThat(chosen.out()).contains("\"name\" : \"lookup-empty-29-true\"");
            assertThat(requests.get()).as("requests to the kubeconfig's cluster").isZero();
        } finally {
            server.stop(0);
        }
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
        assertThat(ours).containsOnly("rules", "policy", "engine", "cli");
        assertThat(framework).isEmpty();
    }
}

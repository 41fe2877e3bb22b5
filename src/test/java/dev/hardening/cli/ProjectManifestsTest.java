package dev.hardening.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.policy.PolicyMode;
import dev.hardening.rules.Profile;
import dev.hardening.webhook.AdmissionHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own manifests through the CLI, in {@code ./mvnw verify}: the demo's refused Deployment prints what
 * the webhook answers, the examples' policies are valid, the rendered chart and manifests/ pass their own Hardened
 * profile.
 */
class ProjectManifestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NONCOMPLIANT = "examples/demo/noncompliant-deployment.yaml";

    @Test
    void theDemosNoncompliantDeploymentPrintsTheProblemsTheWebhookReturnsAndExitsOne() throws Exception {
        Cli run = Cli.run("check", "-f", NONCOMPLIANT);

        assertThat(run.exitCode()).isEqualTo(1);
        // the table's rule, container and problem columns are the webhook's denial lines
        List<String> lines = run.outLines();
        String header = lines.get(0);
        int container = header.indexOf("CONTAINER");
        int rule = header.indexOf("RULE");
        int verdict = header.indexOf("VERDICT");
        int problem = header.indexOf("PROBLEM AND FIX");
        List<String> printed = new ArrayList<>();
        for (String line : lines.subList(1, lines.indexOf(""))) {
            printed.add("- [" + line.substring(rule, verdict).trim() + "] container \"" + line.substring(container, rule).trim()
                    + "\": " + line.substring(problem));
        }
        ObjectNode object = (ObjectNode) new ManifestParser().parse(new Source(NONCOMPLIANT, Path.of(NONCOMPLIANT),
                Files.readString(Path.of(NONCOMPLIANT)), true)).get(0).object();
        CheckPolicy hardened = PolicyLoader.profile(Profile.Hardened, PolicyMode.Enforce);
        byte[] answer = new AdmissionHarness(Map.of("demo", List.of(hardened.compiled())), Parity.NOW)
                .review(JSON.writeValueAsBytes(Parity.createReview(object, "demo")));
        JsonNode response = JSON.readTree(answer).path("response");
        assertThat(response.path("allowed").asBoolean()).isFalse();
        List<String> denial = response.path("status").path("message").asText().lines().toList();
        assertThat(printed).hasSize(10).containsExactlyElementsOf(denial.subList(1, denial.size()));
    }

    @Test
    void theDemoDeploymentsGetWhatTheirNamespacesPoliciesSayAtAdmission() throws Exception {
        Path hardened = Path.of("examples/hardened-demo.yaml");
        for (String deployment : List.of(NONCOMPLIANT, "examples/demo/compliant-deployment.yaml")) {
            Path file = Path.of(deployment);
            ObjectNode object = (ObjectNode) new ManifestParser().parse(new Source(deployment, file, Files.readString(file), true))
                    .get(0).object();
            Parity.assertSameAnswer(Parity.createReview(object, "demo"), file, List.of(hardened));
        }
        Path staging = Path.of("examples/demo/staging-deployment.yaml");
        ObjectNode preview = (ObjectNode) new ManifestParser().parse(new Source(staging.toString(), staging,
                Files.readString(staging), true)).get(0).object();
        Parity.assertSameAnswer(Parity.createReview(preview, "staging"), staging, List.of(Path.of("examples/warn-staging.yaml")));
        Cli warned = Cli.run("check", staging.toString(), "--policy", "examples/warn-staging.yaml");
        assertThat(warned.exitCode()).isZero();
        assertThat(warned.out()).contains("1 object checked: 0 denied, 1 warned, 0 passed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"examples/hardened-demo.yaml", "examples/warn-staging.yaml", "examples/cluster-baseline.yaml"})
    void everyPolicyTheProjectShipsIsValidAndTheCompliantDemoPassesIt(String policy) {
        Cli run = Cli.run("check", "examples/demo/compliant-deployment.yaml", "--policy", policy, "--fail-on", "warn");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).first().isEqualTo("1 object checked: 0 denied, 0 warned, 1 passed; 0 skipped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "replicas=1", "certificates.mode=cert-manager,networkPolicy.enabled=true,serviceMonitor.enabled=true",
            "certificates.mode=external,certificates.external.secretName=tls,image.tag=0.1.0,imagePullSecrets[0].name=regcred"})
    void theRenderedChartPassesItsOwnHardenedProfile(String sets) {
        Cli run = Cli.withStdin(rendered(sets.isEmpty() ? new String[0] : sets.split(",")),
                "check", "-f", "-", "--fail-on", "warn", "-o", "json");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        JsonNode report = CheckCommandTest.json(run);
        assertThat(report.path("objects")).extracting(o -> o.path("kind").asText() + "/"
                + o.path("name").asText() + " " + o.path("verdict").asText())
                .contains("Deployment/hardening-operator passed", "Service/hardening-operator passed")
                .allSatisfy(line -> assertThat(line).endsWith(" passed"));
        assertThat(report.path("summary").path("skipped").asInt()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void theChecksCanFailATagOnlyImageOfTheChartIsDenied() {
        Cli run = Cli.withStdin(rendered("image.digest=", "image.tag=dev", "image.allowTag=true"), "check", "-f", "-");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines().get(1)).contains("Deployment/hardening-operator  operator", "image-digest", "deny",
                "spec.template.spec.containers[0].image");
    }

    /**
     * The chart rendered in this JVM with the helm library (helm template's output), so these stay unit tests;
     * {@code check --helm}, which runs the helm binary, is CliJarIT's.
     */
    private static String rendered(String... sets) {
        com.marcnuri.helm.TemplateCommand template = new com.marcnuri.helm.Helm(Path.of("charts/hardening-operator"))
                .template().withName("hardening-operator").withNamespace("hardening-system");
        for (String set : sets) {
            int equals = set.indexOf('=');
            template.set(set.substring(0, equals), set.substring(equals + 1));
        }
        return template.call();
    }

    @Test
    void manifestsPassTheHardenedProfileAndTheirOwnClusterDefault() throws IOException {
        Cli hardened = Cli.run("check", "manifests/", "--fail-on", "warn");
        assertThat(hardened.exitCode()).isZero();
        assertThat(hardened.outLines()).first().asString().startsWith("2 objects checked: 0 denied, 0 warned, 2 passed; 12 skipped");

        List<String> args = new ArrayList<>(List.of("check", "manifests/", "--fail-on", "warn"));
        args.addAll(clusterDefault());
        Cli clusterDefault = Cli.run(args.toArray(String[]::new));
        assertThat(clusterDefault.exitCode()).isZero();

        List<String> demo = new ArrayList<>(List.of("check", "examples/demo/compliant-deployment.yaml", "--fail-on", "warn"));
        demo.addAll(clusterDefault());
        assertThat(Cli.run(demo.toArray(String[]::new)).exitCode()).as("the compliant demo under the cluster default").isZero();
    }

    /** The cluster-default policy the operator keeps with manifests/' settings: its ConfigMap's HARDENING_DEFAULT_POLICY_*. */
    static List<String> clusterDefault() throws IOException {
        ConfigMap settings = Serialization.unmarshal(Files.readString(Path.of("manifests/04-configmap-hardening-operator.yaml")));
        Map<String, String> data = settings.getData();
        assertThat(data).containsEntry("HARDENING_DEFAULT_POLICY_ENABLED", "true");
        return List.of("--profile", data.get("HARDENING_DEFAULT_POLICY_PROFILE"), "--mode", data.get("HARDENING_DEFAULT_POLICY_MODE"));
    }
}

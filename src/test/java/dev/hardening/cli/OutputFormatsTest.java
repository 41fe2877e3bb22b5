package dev.hardening.cli;

import dev.hardening.testing.Manifests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four {@code -o} formats over one report: a Deployment with denials and an exempt finding, a Pod with a plaintext
 * secret, a Secret object, under an Enforce policy with an exemption and a Warn one.
 */
class OutputFormatsTest {

    /** Below the working directory, so that SARIF names it relative to %SRCROOT% as code scanning expects. */
    static final Path DIR = Path.of("target/cli-tests/formats");
    static final String SECRET_ENV = "hunter2-do-not-print";
    static final String SECRET_DATA = "c3VwZXItc2VjcmV0LWRhdGE=";
    static final String SECRET_STRING = "s3cr3t-string-data";

    static Path manifests;
    static Path policies;

    @BeforeAll
    static void write() throws IOException {
        Files.createDirectories(DIR);
        manifests = Manifests.write(DIR, "app.yaml", Manifests.UNPINNED.replace("name: app", "name: legacy") + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: job}
                spec:
                  containers:
                  - name: worker
                    image: registry.example.com/worker:1.0
                    env:
                    - name: DB_PASSWORD
                      value: %s
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: credentials}
                data: {password: %s}
                stringData: {token: %s}
                """.formatted(SECRET_ENV, SECRET_DATA, SECRET_STRING));
        policies = Manifests.write(DIR, "policies.yaml", """
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: hardened, namespace: demo}
                spec:
                  profile: Restricted
                  rules:
                  - id: image-digest
                  - id: no-plaintext-secrets
                  exemptions:
                  - rules: [image-digest]
                    containers: [legacy]
                    reason: "pinned at release; ticket REL-7"
                    expires: "2027-01-31T00:00:00Z"
                ---
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: limits, namespace: demo}
                spec:
                  profile: None
                  mode: Warn
                  rules:
                  - id: resource-limits
                """);
    }

    static Cli check(String format) {
        return Cli.run("check", manifests.toString(), "--policy", policies.toString(), "--now", "2026-12-01T00:00:00Z",
                "-o", format);
    }

    @Test
    void sarifValidatesAgainstTheSarif210SchemaAndPointsAtEachField() throws IOException {
        Cli run = check("sarif");
        JsonNode sarif = CheckCommandTest.json(run);

        JsonSchema schema;
        try (InputStream in = OutputFormatsTest.class.getResourceAsStream("/sarif/sarif-2.1.0-rtm.5.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in, config);
        }
        Set<ValidationMessage> problems = schema.validate(sarif);
        assertThat(problems).as("SARIF schema violations").isEmpty();
        assertThat(schema.validate(((ObjectNode) sarif.deepCopy()).put("version", "2.0"))).as("the schema check can fail").isNotEmpty();

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode result = sarif.path("runs").get(0);
        assertThat(result.path("tool").path("driver").path("rules")).allSatisfy(rule -> {
            assertThat(rule.path("helpUri").asText()).isEqualTo(SarifFormat.RULES_URL + "#" + rule.path("id").asText());
            assertThat(Files.readString(Path.of("docs/rules.md"))).contains("\n### " + rule.path("id").asText() + "\n");
            assertThat(rule.path("help").path("markdown").asText()).startsWith("### " + rule.path("id").asText() + "\n");
        });
        List<String> results = new ArrayList<>();
        for (JsonNode r : result.path("results")) {
            JsonNode location = r.path("locations").get(0).path("physicalLocation");
            String ruleId = result.path("tool").path("driver").path("rules").get(r.path("ruleIndex").asInt()).path("id").asText();
            assertThat(ruleId).isEqualTo(r.path("ruleId").asText());
            results.add(r.path("level").asText() + " " + r.path("ruleId").asText() + " "
                    + location.path("artifactLocation").path("uri").asText() + ":"
                    + location.path("region").path("startLine").asInt() + ":" + location.path("region").path("startColumn").asInt()
                    + (r.has("suppressions") ? " suppressed: " + r.path("suppressions").get(0).path("justification").asText() : ""));
        }
        assertThat(results).containsExactly(
                "error image-digest target/cli-tests/formats/app.yaml:17:9 suppressed: spec.exemptions[0] of demo/hardened, until 2027-01-31T00:00:00Z: pinned at release; ticket REL-7",
                "error run-as-non-root target/cli-tests/formats/app.yaml:32:5",
                "error no-privilege-escalation target/cli-tests/formats/app.yaml:32:5",
                "error drop-all-capabilities target/cli-tests/formats/app.yaml:32:5",
                "error seccomp-profile target/cli-tests/formats/app.yaml:32:5",
                "error image-digest target/cli-tests/formats/app.yaml:33:5",
                "error no-plaintext-secrets target/cli-tests/formats/app.yaml:36:7",
                "warning resource-limits target/cli-tests/formats/app.yaml:32:5",
                "warning resource-limits target/cli-tests/formats/app.yaml:32:5");
        assertThat(result.path("results").get(0).path("locations").get(0).path("physicalLocation")
                .path("artifactLocation").path("uriBaseId").asText()).isEqualTo("%SRCROOT%");
    }

    @Test
    void junitHasOneTestCasePerObjectAndRuleAndFailsTheDeniedOnes() throws Exception {
        Cli run = check("junit");
        org.w3c.dom.Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));

        Element suites = xml.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        // 2 objects × 20 rules (Restricted's 17, image-digest, no-plaintext-secrets, resource-limits)
        assertThat(suites.getAttribute("tests")).isEqualTo("40");
        assertThat(suites.getAttribute("failures")).isEqualTo("6");
        assertThat(suites.getAttribute("skipped")).isEqualTo("1");
        NodeList cases = xml.getElementsByTagName("testcase");
        List<String> notPassing = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            NodeList children = c.getElementsByTagName("*");
            if (children.getLength() > 0) {
                Element outcome = (Element) children.item(0);
                notPassing.add(c.getAttribute("classname") + " " + c.getAttribute("name") + " " + outcome.getTagName());
            }
        }
        assertThat(notPassing).containsExactly(
                "Deployment/web image-digest skipped",
                "Pod/job run-as-non-root failure",
                "Pod/job no-privilege-escalation failure",
                "Pod/job drop-all-capabilities failure",
                "Pod/job seccomp-profile failure",
                "Pod/job image-digest failure",
                "Pod/job resource-limits system-out",
                "Pod/job no-plaintext-secrets failure");
        Element failure = (Element) xml.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).startsWith("[run-as-non-root] container \"worker\": ");
        assertThat(failure.getTextContent()).isEqualTo(manifests + ":32:5 deny demo/hardened: "
                + failure.getAttribute("message"));
    }

    @Test
    void theTableShowsEachFindingWithTheAdmissionText() {
        Cli run = check("table");

        List<String> lines = run.outLines();
        assertThat(lines.get(0)).startsWith("LOCATION").contains("OBJECT", "CONTAINER", "RULE", "VERDICT", "POLICY", "FIELD", "PROBLEM AND FIX");
        assertThat(lines.get(1)).matches(manifests + ":17:9 +Deployment/web +legacy +image-digest +exempt +demo/hardened +"
                + "spec\\.template\\.spec\\.containers\\[0\\]\\.image +image \"nginx:1\\.25\" is not pinned by digest; set .+"
                + " \\(exempt by spec\\.exemptions\\[0\\] of demo/hardened, until 2027-01-31T00:00:00Z: pinned at release; ticket REL-7\\)");
        assertThat(lines).contains("2 objects checked: 1 denied, 0 warned, 1 passed; 1 skipped (Secret 1)");
    }

    @Test
    void noFormatEverPrintsASecretValue() {
        for (OutputFormat format : OutputFormat.values()) {
            Cli run = check(format.name());
            assertThat(run.out()).as(format.name()).contains("no-plaintext-secrets")
                    .doesNotContain(SECRET_ENV, SECRET_DATA, SECRET_STRING, "super-secret-data");
            assertThat(run.err()).as(format.name()).doesNotContain(SECRET_ENV, SECRET_DATA, SECRET_STRING);
        }
        // nor does an error near a secret: the YAML problem is named, the line is not quoted
        Path broken = Manifests.write(DIR, "broken.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  token: \"" + SECRET_STRING + "\n");
        Cli error = Cli.run("check", broken.toString());
        assertThat(error.exitCode()).isEqualTo(2);
        assertThat(error.err()).startsWith("error: " + broken + ":").doesNotContain(SECRET_STRING);
        Path brokenJson = Manifests.write(DIR, "broken.json", "{\"kind\": \"Secret\", \"data\": {\"token\": " + SECRET_STRING + "}}");
        Cli jsonError = Cli.run("check", brokenJson.toString());
        assertThat(jsonError.errLines()).containsExactly("error: " + brokenJson + ":1:38: invalid JSON: unrecognized token");
    }
}

package dev.hardening.cli;

import dev.hardening.testing.Yaml;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.rules.WorkloadKind;
import dev.hardening.webhook.AdmissionHarness;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One manifest judged twice, by the webhook's production method (AdmissionReview bytes in and out) and by the CLI,
 * under the same HardeningPolicy manifests, and the answers compared as a user reads them: allowed or not, the
 * denial's lines, the warnings, the audit annotations.
 */
final class Parity {

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Parity() {
    }

    /** What the webhook answered. */
    record WebhookAnswer(boolean allowed, List<String> message, List<String> warnings, Map<String, String> audit) {
    }

    /**
     * Asserts that the CLI, checking {@code manifest} with {@code policyFiles}, says what the webhook says about the
     * CREATE of {@code object} in {@code namespace} under the same policies. {@code review} is the AdmissionReview to
     * send, already a CREATE.
     */
    static void assertSameAnswer(ObjectNode review, Path manifest, List<Path> policyFiles) throws Exception {
        String namespace = review.path("request").path("namespace").asText();
        List<String> args = new ArrayList<>(List.of("check", manifest.toString(), "-o", "json", "--now", NOW.toString()));
        policyFiles.forEach(p -> args.addAll(List.of("--policy", p.toString())));
        Cli cli = Cli.run(args.toArray(String[]::new));
        List<String> invalid = policyErrors(policyFiles);
        if (!invalid.isEmpty()) {
            // the operator marks such a policy InvalidSpec and admission never applies it; the CLI refuses it alike
            assertThat(cli.exitCode()).as("CLI exit code for an invalid policy").isEqualTo(2);
            assertThat(cli.errLines()).hasSameSizeAs(invalid);
            for (int i = 0; i < invalid.size(); i++) {
                assertThat(cli.errLines().get(i)).endsWith(": " + invalid.get(i));
            }
            return;
        }
        WebhookAnswer webhook = webhook(review, namespace, policyFiles);

        if (!webhook.allowed() && webhook.message().get(0).contains(" cannot be checked: ")) {
            assertThat(cli.exitCode()).as("CLI exit code for an object admission cannot read; %s", cli.err()).isEqualTo(2);
            assertThat(cli.errLines()).singleElement().asString().endsWith(": " + webhook.message().get(0));
            return;
        }
        assertThat(cli.err()).as("CLI errors").isEmpty();
        JsonNode report = CheckCommandTest.json(cli);
        assertThat(cli.exitCode()).as("CLI exit code (webhook allowed: %s)", webhook.allowed()).isEqualTo(webhook.allowed() ? 0 : 1);
        List<JsonNode> findings = new ArrayList<>();
        report.path("objects").forEach(o -> o.path("findings").forEach(findings::add));
        JsonNode object = report.path("objects").isEmpty() ? null : report.path("objects").get(0);

        List<String> denial = denial(object, findings);
        List<String> shown = webhook.message();
        int more = shown.stream().filter(l -> l.startsWith("- and ")).findFirst().map(shown::indexOf).orElse(-1);
        assertThat(more < 0 ? denial : denial.subList(0, Math.min(more, denial.size())))
                .as("denial lines").containsExactlyElementsOf(more < 0 ? shown : shown.subList(0, more));
        List<String> warned = findings.stream().filter(f -> f.path("outcome").asText().equals("warn"))
                .map(f -> f.path("text").asText()).collect(Collectors.toCollection(LinkedHashSet::new)).stream().toList();
        assertThat(webhook.warnings()).as("warnings").hasSameSizeAs(warned);
        for (int i = 0; i < warned.size(); i++) {
            // admission keeps a long warning to what is wrong (at most 256 characters); the CLI prints it whole
            String warning = webhook.warnings().get(i);
            assertThat(warned.get(i)).as("warning %s", i).startsWith(warning.endsWith("\u2026") ? warning.substring(0, warning.length() - 1) : warning);
        }
        assertThat(audit(findings)).as("audit annotations").isEqualTo(webhook.audit());
    }

    /** The denial message the webhook would write for the CLI's deny findings. */
    private static List<String> denial(JsonNode object, List<JsonNode> findings) {
        Map<String, List<String>> byPolicy = new LinkedHashMap<>();
        findings.stream().filter(f -> f.path("outcome").asText().equals("deny"))
                .forEach(f -> byPolicy.computeIfAbsent(f.path("policy").asText(), p -> new ArrayList<>()).add(f.path("text").asText()));
        List<String> lines = new ArrayList<>();
        byPolicy.forEach((policy, texts) -> {
            lines.add(object.path("kind").asText() + " \"" + object.path("name").asText() + "\" violates HardeningPolicy \""
                    + policy + "\" (" + texts.size() + (texts.size() == 1 ? " problem):" : " problems):"));
            texts.forEach(t -> lines.add("- " + t));
        });
        return lines;
    }

    /** The audit annotations the webhook would write for the CLI's audit findings. */
    private static Map<String, String> audit(List<JsonNode> findings) {
        Map<String, String> audit = new LinkedHashMap<>();
        for (JsonNode f : findings) {
            if (!f.path("outcome").asText().equals("audit")) {
                continue;
            }
            String where = f.path("policy").asText() + ": " + (f.has("container") ? "container \"" + f.path("container").asText() + "\" " : "")
                    + f.path("path").asText();
            audit.merge(f.path("rule").asText(), where, (a, b) -> a + "; " + b);
        }
        return audit;
    }

    /** The operator's compilation of every HardeningPolicy in the files, as the reconciler does it. */
    static List<PolicyCompiler.Compilation> compile(List<Path> policyFiles) throws Exception {
        List<PolicyCompiler.Compilation> compilations = new ArrayList<>();
        for (Path file : policyFiles) {
            for (String document : Files.readString(file).split("(?m)^---$")) {
                if (document.contains("kind: HardeningPolicy")) {
                    compilations.add(PolicyCompiler.compile(Yaml.object(document, HardeningPolicy.class)));
                }
            }
        }
        return compilations;
    }

    /** {@code HardeningPolicy "ns/name": <field error>} for each error, as the CLI names them. */
    private static List<String> policyErrors(List<Path> policyFiles) throws Exception {
        List<String> errors = new ArrayList<>();
        for (PolicyCompiler.Compilation compilation : compile(policyFiles)) {
            compilation.errors().forEach(e -> errors.add(e.toString()));
        }
        return errors;
    }

    static WebhookAnswer webhook(ObjectNode review, String namespace, List<Path> policyFiles) throws Exception {
        List<CompiledPolicy> policies = compile(policyFiles).stream().map(PolicyCompiler.Compilation::policy).toList();
        byte[] answer = new AdmissionHarness(Map.of(namespace, policies), NOW).review(JSON.writeValueAsBytes(review));
        JsonNode response = JSON.readTree(answer).path("response");
        List<String> warnings = new ArrayList<>();
        response.path("warnings").forEach(w -> warnings.add(w.asText()));
        Map<String, String> audit = new LinkedHashMap<>();
        response.path("auditAnnotations").fields().forEachRemaining(e -> audit.put(e.getKey(), e.getValue().asText()));
        String message = response.path("status").path("message").asText("");
        return new WebhookAnswer(response.path("allowed").asBoolean(), message.isEmpty() ? List.of() : message.lines().toList(),
                warnings, audit);
    }

    /** An AdmissionReview CREATE of {@code object} by an ordinary user, as the API server sends it. */
    static ObjectNode createReview(ObjectNode object, String namespace) {
        WorkloadKind kind = WorkloadKind.ofKind(object.path("kind").asText()).orElseThrow();
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "parity-" + object.path("metadata").path("name").asText());
        request.putObject("kind").put("group", kind.group()).put("version", "v1").put("kind", kind.kind());
        request.putObject("resource").put("group", kind.group()).put("version", "v1").put("resource", kind.resource());
        request.put("name", object.path("metadata").path("name").asText()).put("namespace", namespace).put("operation", "CREATE");
        request.putObject("userInfo").put("username", "alice@example.com");
        request.set("object", object);
        return review;
    }

    static Path writePolicy(Path dir, String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), yaml, StandardCharsets.UTF_8);
    }
}

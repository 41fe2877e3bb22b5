package dev.hardening.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import dev.hardening.rules.Target;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The CLI and the admission webhook reach the same verdict with the same lines: every rule fixture
 * ({@code src/test/resources/rules/**}) and every admission fixture ({@code src/test/resources/admission/*.json}).
 * A file is judged as the CREATE of its object, so UPDATE and DELETE fixtures are compared as the CREATE of the object
 * they carry.
 */
class AdmissionParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RULES = Path.of("src/test/resources/rules");
    private static final Path ADMISSION = Path.of("src/test/resources/admission");
    /**
     * Their verdict depends on who submits them — a kubelet's mirror pod, a built-in controller's child — which a
     * file does not say: see docs/cli.md. The CLI judges every file as a person's CREATE.
     */
    private static boolean dependsOnTheSubmitter(Path fixture) {
        String name = fixture.getFileName().toString();
        return name.startsWith("create-pod-mirror") || name.contains("-by-controller");
    }

    /** The namespaces of the admission fixtures, with the policies AdmissionReviewTest gives them. */
    private static final Map<String, String> NAMESPACE_POLICIES = Map.of(
            "payments", "metadata: {name: baseline, namespace: payments}\nspec: {profile: Hardened, mode: Enforce}\n",
            "staging", "metadata: {name: preview, namespace: staging}\nspec: {profile: Hardened, mode: Warn}\n",
            "audited", "metadata: {name: observe, namespace: audited}\nspec: {profile: Hardened, mode: Audit}\n",
            "sandbox", "metadata: {name: nothing, namespace: sandbox}\nspec: {profile: None}\n");

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicNode> everyRuleFixture() {
        // admission never judges NetworkPolicy coverage (docs/webhook.md): the CLI judges it from what its input holds
        return RuleCatalogue.all().stream().filter(rule -> rule.judges() != Target.Type.COVERAGE).map(rule -> dynamicContainer(rule.id(),
                Stream.of("allowed", "denied").flatMap(verdict -> files(RULES.resolve(rule.id()).resolve(verdict), ".yaml")
                        .map(file -> dynamicTest(verdict + "/" + file.getFileName(), () -> ruleFixture(rule, file))))));
    }

    @TestFactory
    Stream<DynamicTest> everyAdmissionFixture() {
        return files(ADMISSION, ".json").filter(f -> !dependsOnTheSubmitter(f))
                .map(file -> dynamicTest(file.getFileName().toString(), () -> admissionFixture(file)));
    }

    /** The rule alone (with the fixture's registries and network settings) and the whole Hardened profile, both in force. */
    private static void ruleFixture(Rule rule, Path fixture) throws Exception {
        String text = Files.readString(fixture);
        String registries = header(text, "registries");
        String serviceTypes = header(text, "allowedServiceTypes");
        String externalIPs = header(text, "allowedExternalIPs");
        List<String> network = new ArrayList<>();
        if (!serviceTypes.isEmpty()) {
            network.add("allowedServiceTypes: [" + serviceTypes + "]");
        }
        if (!externalIPs.isEmpty()) {
            network.add("allowedExternalIPs: [" + externalIPs.replace(", ", "\", \"").replaceAll("^|$", "\"") + "]");
        }
        Path only = Parity.writePolicy(dir, "only-" + rule.id(), policy("only-" + rule.id(), "parity",
                "{profile: None, rules: [{id: " + rule.id() + "}]"
                        + (registries.isEmpty() ? "" : ", registries: [" + registries + "]")
                        + (network.isEmpty() ? "" : ", network: {" + String.join(", ", network) + "}") + "}"));
        Path hardened = Parity.writePolicy(dir, "hardened", policy("hardened", "parity", "{profile: Hardened}"));
        List<Document> documents = new ManifestParser().parse(new Source(fixture.toString(), fixture, Files.readString(fixture), true));
        ObjectNode object = documents.get(0).object();
        Parity.assertSameAnswer(Parity.createReview(object, "parity"), fixture, List.of(only, hardened));
    }

    /** The value of a fixture's {@code # name:} header line, or empty. */
    private static String header(String text, String name) {
        return text.lines().filter(l -> l.startsWith("# " + name + ":"))
                .map(l -> l.substring(name.length() + 3).trim()).findFirst().orElse("");
    }

    private static void admissionFixture(Path fixture) throws Exception {
        ObjectNode review = (ObjectNode) JSON.readTree(fixture.toFile());
        ObjectNode request = (ObjectNode) review.path("request");
        // the object the request carries, created
        ObjectNode object = (ObjectNode) (request.path("object").isObject() ? request.path("object") : request.path("oldObject"));
        request.set("object", object);
        request.remove(List.of("oldObject", "subResource"));
        request.put("operation", "CREATE");
        String namespace = request.path("namespace").asText();
        Path manifest = Files.writeString(dir.resolve(fixture.getFileName()), JSON.writeValueAsString(object));
        Path policy = Parity.writePolicy(dir, namespace, "apiVersion: hardening.dev/v1alpha1\nkind: HardeningPolicy\n"
                + NAMESPACE_POLICIES.get(namespace));
        Parity.assertSameAnswer(review, manifest, List.of(policy));
    }

    private static String policy(String name, String namespace, String spec) {
        return "apiVersion: hardening.dev/v1alpha1\nkind: HardeningPolicy\nmetadata: {name: " + name + ", namespace: "
                + namespace + "}\nspec: " + spec + "\n";
    }

    private static Stream<Path> files(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.hardening.cli;

import dev.hardening.testing.Manifests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hardening check} as a CI job runs it: what it reads, what it reports, how it exits. */
class CheckCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static JsonNode json(Cli run) {
        try {
            return JSON.readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + run.out() + run.err(), e);
        }
    }

    static List<String> texts(JsonNode report) {
        List<String> texts = new ArrayList<>();
        report.path("objects").forEach(o -> o.path("findings").forEach(f -> texts.add(f.path("outcome").asText() + " " + f.path("text").asText())));
        return texts;
    }

    @Test
    void aCompliantManifestExitsZeroAndAViolationExitsOne() {
        Path good = Manifests.write(dir, "good.yaml", Manifests.COMPLIANT);
        Path bad = Manifests.write(dir, "bad.yaml", Manifests.UNPINNED);

        Cli passed = Cli.run("check", good.toString());
        assertThat(passed.exitCode()).isZero();
        assertThat(passed.outLines()).containsExactly("1 object checked: 0 denied, 0 warned, 1 passed; 0 skipped",
                "policies: Hardened (--profile)");
        assertThat(passed.err()).isEmpty();

        Cli denied = Cli.run("check", "-f", bad.toString(), "-o", "json");
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(texts(json(denied))).containsExactly("deny [image-digest] container \"app\": image \"nginx:1.25\" is not "
                + "pinned by digest; set spec.template.spec.containers[0].image to nginx:1.25@sha256:<digest>");
    }

    /** Coverage is judged from the NetworkPolicies in the input, wherever they come in it; without one, never guessed. */
    @Test
    void networkPolicyCoverageIsJudgedFromTheInputOrReportedAsNotEvaluated() {
        Path policy = Manifests.write(dir, "coverage.yaml", """
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: isolated, namespace: shop}
                spec:
                  profile: None
                  rules:
                  - id: network-policy-coverage
                """);
        Path alone = Manifests.write(dir, "alone.yaml", Manifests.COMPLIANT);
        Path defaultDeny = Manifests.write(dir, "z-default-deny.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                """);

        Cli notEvaluated = Cli.run("check", alone.toString(), "--policy", policy.toString(), "--namespace", "shop");
        assertThat(notEvaluated.exitCode()).isZero();
        assertThat(notEvaluated.outLines()).contains("network-policy-coverage not evaluated in namespace shop: no NetworkPolicy "
                + "of theirs in the input (--require-network-policy judges them uncovered)");

        Cli required = Cli.run("check", alone.toString(), "--policy", policy.toString(), "--namespace", "shop",
                "--require-network-policy", "-o", "json");
        assertThat(required.exitCode()).isEqualTo(1);
        assertThat(texts(json(required))).containsExactly("deny [network-policy-coverage] no NetworkPolicy in namespace \"shop\" "
                + "selects its Pods for Ingress; add a NetworkPolicy whose podSelector matches spec.template.metadata.labels "
                + "with policyTypes Ingress (podSelector: {} without rules is a default deny for the namespace)");
        assertThat(json(required).path("summary").has("coverageNotEvaluated")).isFalse();

        Cli covered = Cli.run("check", alone.toString(), defaultDeny.toString(), "--policy", policy.toString(),
                "--namespace", "shop", "-o", "json");
        assertThat(covered.exitCode()).isZero();
        assertThat(json(covered).path("summary").path("passed").asInt()).isEqualTo(1);
        assertThat(json(covered).path("summary").has("coverageNotEvaluated")).isFalse();
    }

    @Test
    void theFieldIsLocatedAtItsKeyAndAMissingFieldAtItsNearestParent() {
        Path bad = Manifests.write(dir, "bad.yaml", Manifests.UNPINNED.replace("          readOnlyRootFilesystem: true\n", ""));

        JsonNode finding = json(Cli.run("check", bad.toString(), "-o", "json")).path("objects").get(0).path("findings");

        assertThat(finding).extracting(f -> f.path("rule").asText() + " " + f.path("path").asText() + " "
                + f.path("line").asInt() + ":" + f.path("column").asInt()).containsExactly(
                "image-digest spec.template.spec.containers[0].image 17:9",
                // readOnlyRootFilesystem is missing: its parent securityContext is where to add it
                "read-only-root-filesystem spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem 20:9");
    }

    @Test
    void directoriesAreSearchedRecursivelyForYamlYmlAndJsonButNotIntoHelmCharts() {
        Manifests.write(dir, "a/deploy.yaml", Manifests.UNPINNED);
        Manifests.write(dir, "a/b/deploy.yml", Manifests.UNPINNED.replace("name: web", "name: web-yml"));
        Manifests.write(dir, "a/b/c/pod.json", """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "from-json"},
                 "spec": {"containers": [{"name": "app", "image": "nginx"}]}}
                """);
        Manifests.write(dir, "a/notes.txt", "kind: Pod");
        Manifests.write(dir, "a/chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 0.1.0\n");
        Manifests.write(dir, "a/chart/templates/deployment.yaml", "{{ .Values.broken YAML until rendered");

        Cli run = Cli.run("check", dir.resolve("a").toString(), "-o", "json");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(json(run).path("objects")).extracting(o -> o.path("file").asText() + " " + o.path("name").asText())
                .containsExactly(dir.resolve("a/b/c/pod.json") + " from-json", dir.resolve("a/b/deploy.yml") + " web-yml",
                        dir.resolve("a/deploy.yaml") + " web");
        assertThat(run.errLines()).containsExactly("note: skipped Helm chart " + dir.resolve("a/chart")
                + " (check it with --helm " + dir.resolve("a/chart") + ")");
    }

    @Test
    void standardInputWithSeveralDocumentsAndAListIsCheckedItemByItem() {
        String stream = "# rendered by kustomize\n---\n" + Manifests.COMPLIANT + "---\n---\n"
                + """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: settings}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: listed}
                  spec:
                    containers:
                    - {name: app, image: nginx}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                """;

        Cli run = Cli.withStdin(stream, "check", "-f", "-", "-o", "json");

        JsonNode report = json(run);
        assertThat(report.path("objects")).extracting(o -> o.path("file").asText() + ":" + o.path("line").asInt() + ":" + o.path("column").asInt() + " "
                + o.path("kind").asText() + "/" + o.path("name").asText() + " " + o.path("verdict").asText())
                .containsExactly("<stdin>:3:1 Deployment/web passed", "<stdin>:36:3 Pod/listed denied", "<stdin>:43:1 Service/web passed");
        assertThat(report.path("summary").path("skippedKinds").toString()).isEqualTo("{\"ConfigMap\":1}");
        assertThat(report.path("objects").get(1).path("findings")).anySatisfy(f -> {
            assertThat(f.path("path").asText()).isEqualTo("spec.containers[0].image");
            assertThat(f.path("line").asInt() + ":" + f.path("column").asInt()).isEqualTo("41:19");
        });
    }

    @Test
    void jsonWithTabIndentationIsReadAndLocated() {
        Path file = Manifests.write(dir, "pod.json",
                "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Pod\",\n\t\"metadata\": {\"name\": \"p\"},\n\t\"spec\": {\n"
                        + "\t\t\"containers\": [{\"name\": \"app\", \"image\": \"nginx\"}]\n\t}\n}\n");

        JsonNode report = json(Cli.run("check", file.toString(), "--profile", "Hardened", "-o", "json"));

        assertThat(report.path("objects").get(0).path("findings")).anySatisfy(f -> {
            assertThat(f.path("rule").asText()).isEqualTo("image-digest");
            assertThat(f.path("line").asInt() + ":" + f.path("column").asInt()).isEqualTo("6:34");
        });
    }

    @Test
    void warnFindingsFailOnlyWithFailOnWarnAndAuditNeverFails() {
        Path bad = Manifests.write(dir, "bad.yaml", Manifests.UNPINNED);

        Cli warned = Cli.run("check", bad.toString(), "--mode", "Warn");
        assertThat(warned.exitCode()).isZero();
        assertThat(warned.out()).contains("1 object checked: 0 denied, 1 warned, 0 passed; 0 skipped");
        assertThat(Cli.run("check", bad.toString(), "--mode", "Warn", "--fail-on", "warn").exitCode()).isEqualTo(1);
        assertThat(Cli.run("check", bad.toString(), "--mode", "Audit", "--fail-on", "warn").exitCode()).isZero();
        assertThat(Cli.run("check", bad.toString(), "--profile", "Restricted").exitCode())
                .as("image-digest is not a Restricted rule").isZero();
    }

    @Test
    void anExemptionAppliesUntilItExpiresAsAtAdmission() {
        Path bad = Manifests.write(dir, "bad.yaml", Manifests.UNPINNED);
        Path policy = Manifests.write(dir, "policy.yaml", """
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: hardened, namespace: demo}
                spec:
                  exemptions:
                  - rules: [image-digest]
                    containers: [app]
                    reason: "pinned by the release pipeline; ticket REL-7"
                    expires: "2027-01-31T00:00:00Z"
                """);

        Cli before = Cli.run("check", bad.toString(), "--policy", policy.toString(), "--now", "2027-01-30T23:59:59Z", "-o", "json");
        assertThat(before.exitCode()).isZero();
        assertThat(json(before).path("objects").get(0).path("findings").get(0).path("exemption").asText())
                .isEqualTo("spec.exemptions[0] of demo/hardened, until 2027-01-31T00:00:00Z: pinned by the release pipeline; ticket REL-7");
        assertThat(texts(json(before))).singleElement().asString().startsWith("exempt [image-digest]");

        Cli after = Cli.run("check", bad.toString(), "--policy", policy.toString(), "--now", "2027-01-31T00:00:00Z", "-o", "json");
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(texts(json(after))).singleElement().asString().startsWith("deny [image-digest]");
    }

    @Test
    void severalPoliciesApplyAsInOneNamespaceAndAnyEnforceDenialFails() {
        Path bad = Manifests.write(dir, "bad.yaml", Manifests.UNPINNED);
        Path policies = Manifests.write(dir, "policies.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: demo}
                ---
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: preview, namespace: demo}
                spec: {profile: Hardened, mode: Warn}
                ---
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: baseline, namespace: demo}
                spec: {profile: Baseline}
                """);
        Path digest = Manifests.write(dir, "digest.yaml", """
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: digest, namespace: demo}
                spec:
                  profile: None
                  rules: [{id: image-digest}]
                """);

        Cli warnOnly = Cli.run("check", bad.toString(), "--policy", policies.toString());
        assertThat(warnOnly.exitCode()).isZero();
        assertThat(warnOnly.outLines().get(0)).contains("POLICY");
        assertThat(warnOnly.outLines().get(1)).contains("  warn  ", "  demo/preview  ");

        Cli denied = Cli.run("check", bad.toString(), "--policy", policies.toString(), "--policy", digest.toString(), "-o", "json");
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(json(denied).path("objects").get(0).path("findings"))
                .extracting(f -> f.path("policy").asText() + " " + f.path("outcome").asText())
                .containsExactly("demo/preview warn", "demo/digest deny");
    }

    @Test
    void everyInputProblemIsOneLineNamingFileAndLineAndNothingIsReported() {
        Path syntax = Manifests.write(dir, "syntax.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [p\n");
        Path noKind = Manifests.write(dir, "nokind.yaml", "apiVersion: v1\nmetadata: {name: x}\n");
        Path nullKey = Manifests.write(dir, "nullkey.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  ~: p\n");
        Path unreadable = Manifests.write(dir, "unreadable.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec:
                  selector: {matchLabels: {app: api}}
                  template:
                    spec:
                      containers: "app"
                """);
        Path good = Manifests.write(dir, "good.yaml", Manifests.COMPLIANT);

        Cli run = Cli.run("check", syntax.toString(), noKind.toString(), nullKey.toString(), unreadable.toString(),
                good.toString(), dir.resolve("missing.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "error: " + dir.resolve("missing.yaml") + ": no such file or directory",
                "error: " + syntax + ":5:1: invalid YAML: expected ',' or ']', but got <stream end>",
                "error: " + noKind + ":1:1: not a Kubernetes object: kind is not set",
                "error: " + nullKey + ":4:3: a mapping key must be a string, a number or a boolean",
                "error: " + unreadable + ":8:7: Deployment \"api\" cannot be checked: cannot read it as a Deployment: "
                        + "unexpected value or type at spec.template.spec.containers");
    }

    @Test
    void keepGoingChecksEveryReadableFileAndListsTheUnreadableOnesAtTheEndWithExitTwo() throws IOException {
        Path good = Manifests.write(dir, "repo/a-good.yaml", Manifests.COMPLIANT);
        Path syntax = Manifests.write(dir, "repo/b-syntax.yaml", Manifests.UNPINNED + "---\nkind: [\n");
        Path binary = dir.resolve("repo/c-binary.yaml");
        java.nio.file.Files.write(binary, new byte[] {'k', 'i', 'n', 'd', ':', ' ', (byte) 0xC3, 0x28});
        Path unreadable = Manifests.write(dir, "repo/d-unreadable.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec: {selector: {matchLabels: {app: api}}, template: {spec: {containers: "app"}}}
                ---
                """ + Manifests.UNPINNED.replace("name: web", "name: after"));

        Cli stopped = Cli.run("check", dir.resolve("repo").toString());
        assertThat(stopped.exitCode()).isEqualTo(2);
        assertThat(stopped.out()).isEmpty();

        Cli run = Cli.run("check", dir.resolve("repo").toString(), dir.resolve("missing.yaml").toString(), "--keep-going", "-o", "json");

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode report = json(run);
        assertThat(report.path("objects")).extracting(o -> o.path("name").asText() + " " + o.path("verdict").asText())
                .as("every document before a syntax error and every other object of a file are checked")
                .containsExactly("web passed", "web denied", "after denied");
        assertThat(report.path("summary").path("unreadable").asInt()).isEqualTo(4);
        assertThat(report.path("summary").path("exitCode").asInt()).isEqualTo(2);
        List<String> problems = List.of(
                "error: " + dir.resolve("missing.yaml") + ": no such file or directory",
                "error: " + syntax + ":28:1: invalid YAML: expected the node content, but found '<stream end>'",
                "error: " + binary + ": not UTF-8 text",
                "error: " + unreadable + ":4:63: Deployment \"api\" cannot be checked: cannot read it as a Deployment: "
                        + "unexpected value or type at spec.template.spec.containers");
        assertThat(run.errLines()).containsExactlyElementsOf(problems);
        assertThat(report.path("unreadable")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(problems.stream().map(p -> p.substring("error: ".length())).toList());

        Cli table = Cli.run("check", dir.resolve("repo").toString(), "--keep-going");
        assertThat(table.outLines()).contains("3 objects checked: 2 denied, 0 warned, 1 passed; 0 skipped; 3 unreadable "
                + "(listed on standard error)");
    }

    @Test
    void whatTheApiServerWouldRefuseIsRefusedInItsWordsNotPassed() {
        Path quantities = Manifests.write(dir, "quantities.yaml", Manifests.COMPLIANT.replace(
                "limits: {cpu: 500m, memory: 128Mi}", """
                limits: {cpu: "-1", memory: -1Gi, ephemeral-storage: "${STORAGE_LIMIT}", hugepages-2Mi: 1Gb, nvidia.com/gpu: true}
                          requests: {cpu: "2", memory: 2GG}"""));
        Path patch = Manifests.write(dir, "patch.yaml", """
                # a kustomize patch: not an object the API server would take
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      securityContext:
                        runAsNonRoot: true
                """);

        Cli run = Cli.run("check", quantities.toString(), patch.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        String regex = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
        String limits = "spec.template.spec.containers[0].resources.limits";
        assertThat(run.errLines()).containsExactly(
                "error: " + quantities + ":19:20: Deployment \"web\" is invalid: " + limits + "[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
                "error: " + quantities + ":19:31: Deployment \"web\" is invalid: " + limits + "[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0",
                "error: " + quantities + ":19:45: Deployment \"web\" is invalid: " + limits + "[ephemeral-storage]: " + regex,
                "error: " + quantities + ":19:84: Deployment \"web\" is invalid: " + limits + "[hugepages-2Mi]: " + regex,
                "error: " + quantities + ":19:104: Deployment \"web\" is invalid: " + limits + "[nvidia.com/gpu]: " + regex,
                "error: " + quantities + ":20:32: Deployment \"web\" is invalid: spec.template.spec.containers[0].resources.requests[memory]: unable to parse quantity's suffix",
                "error: " + patch + ":6:1: Deployment \"web\" is invalid: spec.selector: Required value",
                "error: " + patch + ":8:5: Deployment \"web\" is invalid: spec.template.spec.containers: Required value");

        Path above = Manifests.write(dir, "above.yaml", Manifests.COMPLIANT.replace(
                "limits: {cpu: 500m, memory: 128Mi}", "limits: {cpu: 500m, memory: 128Mi}\n          requests: {cpu: \"1\", memory: 128Mi}"));
        assertThat(Cli.run("check", above.toString()).errLines()).containsExactly("error: " + above + ":20:11: Deployment \"web\" "
                + "is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m");
    }

    @Test
    void anInvalidPolicyGetsTheOperatorsFieldErrorsEachAtItsLine() {
        Path good = Manifests.write(dir, "good.yaml", Manifests.COMPLIANT);
        Path policy = Manifests.write(dir, "policy.yaml", """
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: broken, namespace: demo}
                spec:
                  profile: Baseline
                  rules:
                  - id: image-registry
                  exemptions:
                  - rules: [image-digest]
                    images: ["bad image"]
                    expires: "next week"
                ---
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: typo, namespace: demo}
                spec:
                  mode: Enforced
                """);

        Cli run = Cli.run("check", good.toString(), "--policy", policy.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "error: " + policy + ":4:1: HardeningPolicy \"demo/broken\": spec.registries: Required value: rule image-registry is in effect and needs allowed prefixes",
                "error: " + policy + ":9:13: HardeningPolicy \"demo/broken\": spec.exemptions[0].rules[0]: Invalid value: \"image-digest\": rule is not in effect in this policy",
                "error: " + policy + ":10:14: HardeningPolicy \"demo/broken\": spec.exemptions[0].images[0]: Invalid value: \"bad image\": must be an image glob: image reference characters, * and ?",
                "error: " + policy + ":9:5: HardeningPolicy \"demo/broken\": spec.exemptions[0].reason: Required value: say why the exemption exists",
                "error: " + policy + ":11:5: HardeningPolicy \"demo/broken\": spec.exemptions[0].expires: Invalid value: \"next week\": must be an RFC 3339 date-time, e.g. 2027-01-31T00:00:00Z",
                "error: " + policy + ":17:3: HardeningPolicy \"demo/typo\": spec.mode: Unsupported value: \"Enforced\": supported values: \"Enforce\", \"Warn\", \"Audit\"");
    }

    @Test
    void usageErrorsExitTwoWithAHint() {
        Path good = Manifests.write(dir, "good.yaml", Manifests.COMPLIANT);

        assertThat(Cli.run("check").errLines()).containsExactly(
                "error: nothing to check: name files or directories, - for standard input, or --helm CHART",
                "Try 'hardening check --help'.");
        assertThat(Cli.run("check", good.toString(), "--policy", good.toString(), "--profile", "Baseline").errLines())
                .first().isEqualTo("error: --policy sets profile and mode itself: use --profile/--mode only without --policy");
        assertThat(Cli.run("check", good.toString(), "--values", "v.yaml").errLines())
                .first().isEqualTo("error: --values, --set and --api-versions need --helm CHART");
        assertThat(Cli.run("check", good.toString(), "--now", "tomorrow").errLines()).first().asString()
                .contains("expected an RFC 3339 time like 2027-01-31T00:00:00Z, got \"tomorrow\"");
        assertThat(Cli.run("check", good.toString(), "-o", "xml").exitCode()).isEqualTo(2);
        assertThat(Cli.run("check", good.toString(), "--policy", good.toString()).errLines())
                .containsExactly("error: " + good + ": no HardeningPolicy in this file");
        assertThat(Cli.run("frobnicate").exitCode()).isEqualTo(2);
    }

    @Test
    void helpDocumentsTheExitCodes() {
        Cli help = Cli.run("check", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Exit codes:", "0   nothing is denied",
                "1   an Enforce violation (with --fail-on warn, a Warn one too)",
                "2   usage, parse or policy error (one line each, naming file and line)");
    }
}

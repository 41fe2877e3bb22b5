package dev.hardening.rules.scan;

import dev.hardening.engine.AdmissionDecider;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.Finding;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.engine.FindingVerdict;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.ScanFinding;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.ScanResult;
import dev.hardening.rules.ScanSettings;
import dev.hardening.rules.Severity;
import dev.hardening.rules.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** What the scan rules say, word for word, and how the update ratchet treats a finding published after admission. */
class ScanRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final String VULNERABLE = "sha256:" + "a".repeat(64);
    private static final String CLEAN = "sha256:" + "b".repeat(64);
    private static final String IMAGE = "127.0.0.1:5000/musl@" + VULNERABLE;
    private static final ScanFinding MUSL = new ScanFinding("CVE-2019-14697", "musl", "1.1.20-r4", "1.1.20-r5", Severity.CRITICAL, "");
    private static final ScanFinding HIGH = new ScanFinding("CVE-2020-28928", "musl", "1.1.20-r4", "1.1.24-r3", Severity.HIGH, "");
    private static final ScanFinding UNFIXED = new ScanFinding("CVE-2023-0001", "openssl", "3.0.1-r0", "", Severity.CRITICAL, "");
    private static final String FIX = "rebuild on a patched base and set spec.containers[0].image to the new digest, "
            + "or add the id to spec.scan.ignore with a reason";

    static ScanResult scan(String digest, boolean trusted, String source, Instant at, ScanFinding... findings) {
        return new ScanResult(digest, null, source, trusted, "trivy", "0.74.0", at, Map.of(), List.of(findings), false);
    }

    static ScanResult trusted(String digest, ScanFinding... findings) {
        return scan(digest, true, "ImageScan " + digest.replace(':', '-'), Instant.parse("2026-12-04T10:00:00Z"), findings);
    }

    static Stream<Arguments> vulnerabilities() {
        return Stream.of(
                scenario("one CRITICAL finding", ScanSettings.DEFAULTS, List.of(trusted(VULNERABLE, MUSL, HIGH)),
                        "image \"" + IMAGE + "\" has 1 vulnerability at or above CRITICAL: CVE-2019-14697 musl 1.1.20-r4 "
                                + "\u2192 1.1.20-r5 CRITICAL (trivy 0.74.0, 2026-12-04)"),
                scenario("threshold HIGH lists both, most severe first, and an unfixed one says so",
                        new ScanSettings(Severity.HIGH, false, null, List.of()), List.of(trusted(VULNERABLE, HIGH, UNFIXED, MUSL)),
                        "image \"" + IMAGE + "\" has 3 vulnerabilities at or above HIGH: CVE-2019-14697 musl 1.1.20-r4 "
                                + "\u2192 1.1.20-r5 CRITICAL (trivy 0.74.0, 2026-12-04), CVE-2023-0001 openssl 3.0.1-r0 "
                                + "\u2192 no fix CRITICAL (trivy 0.74.0, 2026-12-04), CVE-2020-28928 musl 1.1.20-r4 "
                                + "\u2192 1.1.24-r3 HIGH (trivy 0.74.0, 2026-12-04)"),
                scenario("ignoreUnfixed leaves the unfixed one out", new ScanSettings(Severity.CRITICAL, true, null, List.of()),
                        List.of(trusted(VULNERABLE, UNFIXED))),
                scenario("an ignore entry lets its id through until it expires", new ScanSettings(Severity.CRITICAL, false, null,
                        List.of(new ScanSettings.Ignore(0, "CVE-2019-14697", List.of(), "SEC-1", NOW.plusSeconds(1)))),
                        List.of(trusted(VULNERABLE, MUSL))),
                scenario("an expired ignore entry does not", new ScanSettings(Severity.CRITICAL, false, null,
                                List.of(new ScanSettings.Ignore(0, "CVE-2019-14697", List.of(), "SEC-1", NOW))),
                        List.of(trusted(VULNERABLE, MUSL)),
                        "image \"" + IMAGE + "\" has 1 vulnerability at or above CRITICAL: CVE-2019-14697 musl 1.1.20-r4 "
                                + "\u2192 1.1.20-r5 CRITICAL (trivy 0.74.0, 2026-12-04)"),
                scenario("an untrusted clean report does not clear what a trusted scan found", ScanSettings.DEFAULTS,
                        List.of(scan(VULNERABLE, false, "VulnerabilityReport shop/forged", NOW), trusted(VULNERABLE, MUSL)),
                        "image \"" + IMAGE + "\" has 1 vulnerability at or above CRITICAL: CVE-2019-14697 musl 1.1.20-r4 "
                                + "\u2192 1.1.20-r5 CRITICAL (trivy 0.74.0, 2026-12-04)"),
                scenario("an untrusted report adds findings to a clean trusted scan", ScanSettings.DEFAULTS,
                        List.of(trusted(VULNERABLE), scan(VULNERABLE, false, "VulnerabilityReport shop/r", NOW, MUSL)),
                        "image \"" + IMAGE + "\" has 1 vulnerability at or above CRITICAL: CVE-2019-14697 musl 1.1.20-r4 "
                                + "\u2192 1.1.20-r5 CRITICAL (trivy 0.74.0, 2026-12-04)"),
                scenario("a hostile report cannot break the line", ScanSettings.DEFAULTS,
                        List.of(scan(VULNERABLE, false, "VulnerabilityReport shop/r", NOW,
                                new ScanFinding("CVE-1; rm", "a\nb", "1,2", "\"3\"", Severity.CRITICAL, ""))),
                        "image \"" + IMAGE + "\" has 1 vulnerability at or above CRITICAL: CVE-1\\u003b rm a\\u000ab "
                                + "1\\u002c2 \u2192 \\u00223\\u0022 CRITICAL (trivy 0.74.0, 2026-12-04)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vulnerabilities")
    void imageVulnerabilities(ScanSettings scan, List<ScanResult> scans, List<String> expected) {
        assertThat(messages(new ImageVulnerabilitiesRule(), scan, scans)).containsExactlyElementsOf(expected);
    }

    @Test
    void moreThanFiveFindingsAreCounted() {
        List<ScanFinding> many = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            many.add(new ScanFinding("CVE-2026-000" + i, "pkg" + i, "1", "2", Severity.CRITICAL, ""));
        }
        List<ScanResult> scans = List.of(trusted(VULNERABLE, many.toArray(ScanFinding[]::new)));
        assertThat(messages(new ImageVulnerabilitiesRule(), ScanSettings.DEFAULTS, scans)).singleElement().asString()
                .startsWith("image \"" + IMAGE + "\" has 7 vulnerabilities at or above CRITICAL: CVE-2026-0001 pkg1 1 ")
                .endsWith("CVE-2026-0005 pkg5 1 \u2192 2 CRITICAL (trivy 0.74.0, 2026-12-04), and 2 more");
    }

    @Test
    void theFixNamesTheFieldAndTheIgnoreList() {
        assertThat(new ImageVulnerabilitiesRule().evaluate(pod(IMAGE), settings(ScanSettings.DEFAULTS, List.of(trusted(VULNERABLE, MUSL)))))
                .singleElement().satisfies(v -> {
                    assertThat(v.fix()).isEqualTo(FIX);
                    assertThat(v.path()).isEqualTo("spec.containers[0].image");
                });
    }

    static Stream<Arguments> scanned() {
        String clean = "127.0.0.1:5000/musl@" + CLEAN;
        return Stream.of(
                scenarioFor(clean, "a trusted scan", ScanSettings.DEFAULTS, List.of(trusted(CLEAN))),
                scenarioFor("nginx:1.25", "no digest", ScanSettings.DEFAULTS, List.of(),
                        "image \"nginx:1.25\" names no digest, so no scan can match it"),
                scenarioFor(clean, "no scan", ScanSettings.DEFAULTS, List.of(),
                        "image \"" + clean + "\" has no trusted scan"),
                scenarioFor(clean, "only an untrusted one", ScanSettings.DEFAULTS,
                        List.of(scan(CLEAN, false, "VulnerabilityReport shop/replicaset-web-app", NOW)),
                        "image \"" + clean + "\" has no trusted scan (only VulnerabilityReport shop/replicaset-web-app, "
                                + "which cannot clear a digest)"),
                scenarioFor(clean, "older than maxAge", new ScanSettings(Severity.CRITICAL, false, Duration.ofHours(1), List.of()),
                        List.of(trusted(CLEAN)),
                        "image \"" + clean + "\" was last scanned on 2026-12-04 by trivy, longer ago than spec.scan.maxAge 1h"),
                scenarioFor(clean, "within maxAge", new ScanSettings(Severity.CRITICAL, false, Duration.ofHours(3), List.of()),
                        List.of(trusted(CLEAN))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scanned")
    void imageScanned(String image, ScanSettings scan, List<ScanResult> scans, List<String> expected) {
        assertThat(new ImageScannedRule().evaluate(pod(image), settings(scan, scans)).stream().map(v -> v.message()).toList())
                .containsExactlyElementsOf(expected);
    }

    /**
     * The Harbor lesson: a CRITICAL finding published after a Deployment was admitted must not stop its scaling or
     * restarts. The old object is judged with the same scans, so the finding is already present for the same digest;
     * a new digest with a finding is denied.
     */
    @Test
    void aFindingPublishedAfterAdmissionDoesNotBlockAnUnchangedWorkload() {
        CompiledPolicy policy = PolicyCompiler.compile(Serialization.unmarshal("""
                apiVersion: hardening.dev/v1alpha1
                kind: HardeningPolicy
                metadata: {name: gate, namespace: shop}
                spec: {profile: None, rules: [{id: image-vulnerabilities}]}
                """, HardeningPolicy.class)).policy();
        ScanLookup scans = ScanLookup.of(List.of(trusted(VULNERABLE, MUSL)));

        List<Finding> restarted = AdmissionDecider.findings(deployment(IMAGE, "2"), deployment(IMAGE, "1"), false,
                List.of(policy), NOW, scans);
        assertThat(restarted).extracting(Finding::outcome, Finding::downgrade)
                .containsExactly(tuple(FindingVerdict.WARN, Finding.Downgrade.ALREADY_PRESENT));

        List<Finding> rolledToIt = AdmissionDecider.findings(deployment(IMAGE, "1"),
                deployment("127.0.0.1:5000/musl@" + CLEAN, "1"), false, List.of(policy), NOW, scans);
        assertThat(rolledToIt).extracting(Finding::outcome).containsExactly(FindingVerdict.DENY);
    }

    private static List<String> messages(Rule rule, ScanSettings scan, List<ScanResult> scans) {
        return rule.evaluate(pod(IMAGE), settings(scan, scans)).stream().map(v -> v.message()).toList();
    }

    private static RuleSettings settings(ScanSettings scan, List<ScanResult> scans) {
        return new RuleSettings(List.of(), null, null, null, scan).at(NOW, ScanLookup.of(scans));
    }

    private static PodTarget pod(String image) {
        return PodTarget.of(WorkloadKind.POD, Serialization.unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: shop}
                spec:
                  containers:
                  - name: app
                    image: "%s"
                """.formatted(image), Pod.class));
    }

    private static PodTarget deployment(String image, String restartedAt) {
        return PodTarget.of(WorkloadKind.DEPLOYMENT, Serialization.unmarshal("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: %s
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata:
                      labels: {app: web}
                      annotations: {kubectl.kubernetes.io/restartedAt: "%s"}
                    spec:
                      containers:
                      - name: app
                        image: "%s"
                """.formatted(restartedAt, restartedAt, image), Deployment.class));
    }

    private static Arguments scenario(String name, ScanSettings scan, List<ScanResult> scans, String... expected) {
        return arguments(Named.of(name, scan), scans, List.of(expected));
    }

    private static Arguments scenarioFor(String image, String name, ScanSettings scan, List<ScanResult> scans, String... expected) {
        return arguments(Named.of(name, image), scan, scans, List.of(expected));
    }
}

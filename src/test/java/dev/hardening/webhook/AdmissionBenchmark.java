package dev.hardening.webhook;

import dev.hardening.HardeningConfig;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.PolicyCompiler;
import dev.hardening.engine.PolicyIndex;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Profile;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.ScanResult;
import dev.hardening.testing.TestPolicies;
import dev.hardening.testing.Yaml;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * The admission path without the network: AdmissionReview bytes in, AdmissionReview bytes out, under a Hardened
 * Enforce policy (or a Restricted one, to compare like for like with upstream Pod Security admission). Run with
 * {@code hack/benchmark.sh}; hack/bench-psa.sh runs it next to upstream and docs/benchmarks.md has the numbers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdmissionBenchmark {

    @Param({"create-deployment-hardened", "create-deployment-legacy", "create-pod-hardened",
            "update-deployment-legacy-scaled", "create-service-clusterip", "create-service-exposed"})
    public String fixture;

    /** Display name of the profile the Enforce policy uses: Hardened (all its rules) or Restricted (PSA's set). */
    @Param({"Hardened", "Restricted"})
    public String profile;

    /**
     * How many scanned digests the replica knows: 0 (no scan rule in the policy, as before the release gate), or a
     * number of them with the policy also enabling image-vulnerabilities (Enforce) and image-scanned (Warn), each
     * pinned image of the fixture among them with a clean scan: the cost of the digest lookup on the admission path.
     */
    @Param({"0"})
    public int scans;

    private byte[] body;
    private AdmissionRequest request;
    private AdmissionService service;

    @Setup
    public void setUp() throws BadReviewException {
        body = AdmissionReviewTest.fixture(fixture).toString().getBytes(StandardCharsets.UTF_8);
        request = AdmissionReviewCodec.parse(body);
        List<CompiledPolicy> payments = List.of(scans == 0
                ? TestPolicies.profile("payments", "baseline", Profile.ofDisplayName(profile), RuleMode.Enforce)
                : PolicyCompiler.compile(Yaml.object("""
                        apiVersion: hardening.dev/v1alpha1
                        kind: HardeningPolicy
                        metadata: {name: baseline, namespace: payments}
                        spec:
                          profile: %s
                          mode: Enforce
                          rules:
                          - id: image-vulnerabilities
                          - id: image-scanned
                            mode: Warn
                        """.formatted(profile), HardeningPolicy.class)).policy());
        PolicyIndex index = new PolicyIndex() {
            @Override
            public List<CompiledPolicy> policiesFor(String namespace) {
                return payments;
            }

            @Override
            public boolean ready() {
                return true;
            }
        };
        service = new AdmissionService(index, new AdmissionMetrics(new SimpleMeterRegistry()),
                new TrustedControllers(HardeningConfig.ControllerChildren.Trust,
                        List.of(HardeningConfig.BUILT_IN_CONTROLLERS.split(","))), Clock.systemUTC(), scanLookup(body, scans));
    }

    /** {@code count} clean scans: one per digest pinned in the fixture, the rest of random digests. */
    static ScanLookup scanLookup(byte[] body, int count) {
        if (count == 0) {
            return ScanLookup.NONE;
        }
        List<ScanResult> results = new ArrayList<>();
        Matcher pinned = Pattern.compile("@(sha256:[0-9a-f]{64})").matcher(new String(body, StandardCharsets.UTF_8));
        while (pinned.find() && results.size() < count) {
            results.add(cleanScan(pinned.group(1)));
        }
        Random random = new Random(42);
        while (results.size() < count) {
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            results.add(cleanScan("sha256:" + HexFormat.of().formatHex(digest)));
        }
        return ScanLookup.of(results);
    }

    private static ScanResult cleanScan(String digest) {
        return new ScanResult(digest, "bench", "ImageScan " + digest.replace(':', '-'), true, "trivy", "0.74.0",
                Instant.now(), Map.of(), List.of(), false);
    }

    @Benchmark
    public byte[] review() throws BadReviewException {
        return service.handle(body);
    }

    /**
     * The review already parsed into a JSON tree and no response written: the scope of upstream's
     * {@code Admission.Validate} in hack/bench/psa (object still to be read into the pod model, verdict, metrics).
     */
    @Benchmark
    public Object validate() {
        return service.answer(request);
    }
}

package dev.hardening.webhook;

import dev.hardening.HardeningConfig;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.PolicyIndex;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Profile;
import dev.hardening.testing.TestPolicies;
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

import java.time.Clock;
import java.util.List;
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

    private byte[] body;
    private AdmissionRequest request;
    private AdmissionService service;

    @Setup
    public void setUp() throws BadReviewException {
        body = AdmissionReviewTest.fixture(fixture).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        request = AdmissionReviewCodec.parse(body);
        List<CompiledPolicy> payments = List.of(
                TestPolicies.profile("payments", "baseline", Profile.ofDisplayName(profile), RuleMode.Enforce));
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
                        List.of(HardeningConfig.BUILT_IN_CONTROLLERS.split(","))), Clock.systemUTC());
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

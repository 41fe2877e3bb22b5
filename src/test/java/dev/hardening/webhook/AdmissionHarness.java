package dev.hardening.webhook;

import dev.hardening.HardeningConfig;
import dev.hardening.engine.CompiledPolicy;
import dev.hardening.engine.PolicyIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The webhook's production path without the network, for tests outside this package (the CLI's parity test):
 * AdmissionReview bytes in, AdmissionReview bytes out, with the policies of each namespace and a fixed clock.
 */
public final class AdmissionHarness {

    private final AdmissionService service;

    public AdmissionHarness(Map<String, List<CompiledPolicy>> policiesByNamespace, Instant now) {
        PolicyIndex index = new PolicyIndex() {
            @Override
            public List<CompiledPolicy> policiesFor(String namespace) {
                return policiesByNamespace.getOrDefault(namespace, List.of());
            }

            @Override
            public boolean ready() {
                return true;
            }
        };
        service = new AdmissionService(index, new AdmissionMetrics(new SimpleMeterRegistry()),
                new TrustedControllers(HardeningConfig.ControllerChildren.Trust,
                        List.of(HardeningConfig.BUILT_IN_CONTROLLERS.split(","))), Clock.fixed(now, ZoneOffset.UTC));
    }

    public byte[] review(byte[] body) throws Exception {
        return service.handle(body);
    }
}

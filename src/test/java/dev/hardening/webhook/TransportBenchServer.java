package dev.hardening.webhook;

import dev.hardening.HardeningConfig;
import dev.hardening.policy.RuleMode;
import dev.hardening.rules.Profile;
import dev.hardening.testing.TestConfig;
import dev.hardening.testing.TestPolicies;
import dev.hardening.testing.TestPolicyIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Map;

/**
 * The webhook transport alone, for hack/bench-transport.sh: the real {@link WebhookServer} and admission path with the
 * test certificate and a Restricted/Enforce policy for namespace {@code payments} held in memory, no cluster. As many
 * event loops as the JVM sees processors, as in a Pod. Prints {@code port=<port>} once it serves.
 */
public final class TransportBenchServer {

    private TransportBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        TestPolicyIndex policies = new TestPolicyIndex();
        policies.set("payments", TestPolicies.profile("payments", "restricted", Profile.Restricted, RuleMode.Enforce));
        HardeningConfig config = TestConfig.hardening(Map.of("hardening.webhook.port", "0",
                "hardening.webhook.host", "127.0.0.1"));
        WebhookServer server = new WebhookServer(Vertx.vertx(), new TestTlsMaterialSource(),
                new AdmissionService(policies, new AdmissionMetrics(new SimpleMeterRegistry()), config), config);
        server.onStart(null);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!server.serving()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the webhook did not serve within 60 s");
            }
            Thread.sleep(20);
        }
        System.out.println("port=" + server.port() + " eventLoops=" + server.eventLoops());
        Thread.currentThread().join();
    }
}

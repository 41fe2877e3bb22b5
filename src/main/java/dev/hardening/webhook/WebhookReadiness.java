package dev.hardening.webhook;

import dev.hardening.tls.WebhookServingState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the admission endpoint listens with a certificate: the Service must not route to us before. */
@Readiness
@ApplicationScoped
public class WebhookReadiness implements HealthCheck {

    private final WebhookServingState state;

    public WebhookReadiness(WebhookServingState state) {
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("webhook").status(state.serving()).build();
    }
}

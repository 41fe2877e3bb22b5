package dev.hardening.tls;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code hardening_certificate_expiry_timestamp_seconds}: when the certificate this replica serves expires (0 before
 * it has one), for the dashboard and the "expiring soon" alert. Follows every reload of the TLS material.
 */
@Startup
@ApplicationScoped
public class CertificateExpiryMetrics {

    private static final Logger LOG = Logger.getLogger(CertificateExpiryMetrics.class);

    private final AtomicLong notAfter = new AtomicLong();

    public CertificateExpiryMetrics(MeterRegistry registry, TlsMaterialSource source) {
        Gauge.builder("hardening.certificate.expiry.timestamp", notAfter, AtomicLong::get)
                .description("Expiry (notAfter, Unix seconds) of the webhook's serving certificate; 0 before there is one")
                .baseUnit("seconds").register(registry);
        source.subscribe(this::update);
    }

    void update(TlsMaterial material) {
        try {
            List<X509Certificate> chain = Pem.certificates(material.certificateChainPem());
            if (!chain.isEmpty()) {
                notAfter.set(chain.get(0).getNotAfter().toInstant().getEpochSecond());
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the serving certificate's expiry: %s", e.getMessage());
        }
    }
}

package dev.hardening.tls;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which certificates the webhook replicas serve, as the API server would see them: a TLS handshake with every ready
 * endpoint of the webhook Service (EndpointSlices labelled {@code kubernetes.io/service-name}), or with the configured
 * URL when the webhook runs outside the cluster. The leader drops an old CA only when this says every replica
 * serves the new certificate; any endpoint that does not answer makes the answer incomplete, which keeps the old CA.
 */
public final class ServedCertificateProbe implements Supplier<ServedFingerprints> {

    private static final Logger LOG = Logger.getLogger(ServedCertificateProbe.class);
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final KubernetesClient client;
    private final String namespace;
    private final String service;
    private final Optional<URI> url;

    public ServedCertificateProbe(KubernetesClient client, String namespace, String service, Optional<URI> url) {
        this.client = client;
        this.namespace = namespace;
        this.service = service;
        this.url = url;
    }

    @Override
    public ServedFingerprints get() {
        if (url.isPresent()) {
            URI u = url.get();
            return probe(Set.of(new Target(u.getHost(), u.getPort() < 0 ? 443 : u.getPort())));
        }
        try {
            Set<Target> targets = new HashSet<>();
            for (EndpointSlice slice : client.discovery().v1().endpointSlices().inNamespace(namespace)
                    .withLabel("kubernetes.io/service-name", service).list().getItems()) {
                Optional<Integer> port = slice.getPorts() == null ? Optional.empty()
                        : slice.getPorts().stream().map(EndpointPort::getPort).filter(p -> p != null).findFirst();
                if (port.isEmpty() || slice.getEndpoints() == null) {
                    continue;
                }
                for (Endpoint endpoint : slice.getEndpoints()) {
                    boolean ready = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                    if (ready && endpoint.getAddresses() != null) {
                        endpoint.getAddresses().forEach(a -> targets.add(new Target(a, port.get())));
                    }
                }
            }
            return probe(targets);
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot list the endpoints of Service %s/%s: %s", namespace, service, e.getMessage());
            return ServedFingerprints.unknown();
        }
    }

    private static ServedFingerprints probe(Set<Target> targets) {
        Set<String> fingerprints = new HashSet<>();
        boolean complete = true;
        for (Target t : targets) {
            try {
                fingerprints.add(TlsProbe.servedFingerprint(t.host(), t.port(), TIMEOUT));
            } catch (IOException e) {
                LOG.debugf("webhook endpoint %s:%d did not complete a TLS handshake: %s", t.host(), t.port(), e.getMessage());
                complete = false;
            }
        }
        return new ServedFingerprints(fingerprints, complete);
    }

    private record Target(String host, int port) {
    }
}

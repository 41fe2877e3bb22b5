package dev.hardening.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;

import java.util.List;

/** A submitted Service, for the rules about what it exposes; never null-valued: an absent spec becomes an empty one. */
public final class ServiceTarget implements Target {

    private final Service service;
    private final ServiceSpec spec;
    private final String objectName;
    /** The tree it was read from, or written from the object when first asked for. */
    private volatile JsonNode tree;

    private ServiceTarget(Service service, JsonNode tree) {
        this.service = service;
        this.spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
        this.objectName = service.getMetadata() == null ? null : service.getMetadata().getName();
        this.tree = tree;
    }

    /** {@code source} is the JSON tree {@code service} was read from, or null. */
    public static ServiceTarget of(HasMetadata service, JsonNode source) {
        return new ServiceTarget((Service) service, source);
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.SERVICE;
    }

    @Override
    public String objectName() {
        return objectName;
    }

    @Override
    public JsonNode tree() {
        JsonNode current = tree;
        if (current == null) {
            current = ObjectReader.tree(service);
            tree = current;
        }
        return current;
    }

    @Override
    public List<ContainerRef> containers() {
        return List.of();
    }

    @Override
    public List<Violation> violationsOf(Rule rule, RuleSettings settings) {
        return rule.evaluate(this, settings);
    }

    public Service service() {
        return service;
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** {@code spec.type}, ClusterIP when unset (the API server's default). */
    public String serviceType() {
        return spec.getType() == null || spec.getType().isEmpty() ? "ClusterIP" : spec.getType();
    }
}

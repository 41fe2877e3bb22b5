package dev.hardening.tls;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The names the API server may use to reach the webhook, which the serving certificate must carry as SANs. */
public final class ServingNames {

    private ServingNames() {
    }

    /**
     * {@code <svc>}, {@code <svc>.<ns>}, {@code <svc>.<ns>.svc}, {@code <svc>.<ns>.svc.cluster.local}; in local mode
     * (webhook reached by URL from outside the cluster) also {@code localhost} and {@code 127.0.0.1}; then extras.
     */
    public static List<String> of(String service, String namespace, boolean local, List<String> extras) {
        Set<String> names = new LinkedHashSet<>();
        names.add(service);
        names.add(service + "." + namespace);
        names.add(service + "." + namespace + ".svc");
        names.add(service + "." + namespace + ".svc.cluster.local");
        if (local) {
            names.add("localhost");
            names.add("127.0.0.1");
        }
        extras.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
        return List.copyOf(names);
    }
}

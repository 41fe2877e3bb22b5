package dev.hardening.e2e;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chart's replicas as a cluster runs them: N operator processes with the chart's ServiceAccount and settings,
 * each in a network namespace of its own with an address of its own (as a Pod has), serving its webhook on the
 * chart's container ports, reached by the API server through the chart's Service. The harness plays kubelet and
 * the endpoint controllers: one EndpointSlice per replica naming its address, its endpoint ready while the replica's
 * readiness probe passes, withdrawn the moment the process exits; and the Service's Endpoints with the same
 * addresses, since kube-apiserver before 1.33 resolves a webhook's Service through Endpoints (kube-controller-manager
 * writes both in a real cluster; its endpoint controllers do not run here, there being no Pod IPs to take them from). kube-apiserver runs with
 * {@code --enable-aggregator-routing=true}, so it dials those endpoints directly as it dials Pod IPs in a cluster,
 * spreading calls over the replicas, and verifies the serving certificate for {@code <service>.<namespace>.svc}.
 *
 * <p>The namespaces hang off the cluster network's bridge ({@code hack/cluster.sh net add}); the replicas reach the
 * API server at the bridge's address. No replica listens on or talks to the machine's own external address:
 * {@link #close()} checks every replica's sockets and fails if one did ({@link SocketAudit}).
 */
final class Replicas implements AutoCloseable {

    static final String SERVICE = "hardening-operator";
    /** The chart's container ports: every replica has an address of its own, so each uses the same ports. */
    static final int WEBHOOK_PORT = 8443;
    static final int MANAGEMENT_PORT = 9000;

    private final ControlPlane cluster;
    private final ChartRelease chart;
    private final Map<String, String> settings;
    private final KubernetesClient admin;
    private final List<Replica> replicas = new ArrayList<>();
    private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "e2e-kubelet");
        t.setDaemon(true);
        return t;
    });

    private Replicas(ControlPlane cluster, ChartRelease chart, Map<String, String> settings) {
        this.cluster = cluster;
        this.chart = chart;
        this.settings = Map.copyOf(settings);
        try {
            this.admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig())))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code count} replicas at once, as a Deployment does, and returns when each is ready behind the Service. */
    static Replicas start(ControlPlane cluster, ChartRelease chart, String prefix, int count) {
        return start(cluster, chart, prefix, count, Map.of());
    }

    /** As {@link #start(ControlPlane, ChartRelease, String, int)}, with settings on top of the chart's ConfigMap. */
    static Replicas start(ControlPlane cluster, ChartRelease chart, String prefix, int count, Map<String, String> settings) {
        Replicas replicas = new Replicas(cluster, chart, settings);
        try {
            for (int i = 0; i < count; i++) {
                String name = prefix + "-" + i;
                Replica replica = new Replica(name, cluster.addReplicaNetwork(name));
                replicas.replicas.add(replica);
                replicas.publish(replica, false);
            }
            List<CompletableFuture<Void>> started = replicas.replicas.stream()
                    .map(r -> CompletableFuture.runAsync(() -> replicas.launch(r))).toList();
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            replicas.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } catch (RuntimeException e) {
            replicas.close();
            throw e;
        }
        replicas.kubelet.scheduleWithFixedDelay(replicas::probeAll, 0, 250, TimeUnit.MILLISECONDS);
        return replicas;
    }

    int size() {
        return replicas.size();
    }

    /** The replica's process now (a new one after {@link #restart(int)}). */
    OperatorProcess process(int index) {
        return replicas.get(index).process;
    }

    /** The replica holding the Lease now, if any. */
    Optional<Integer> leader() {
        String holder = leaderIdentity().orElse(null);
        if (holder == null) {
            return Optional.empty();
        }
        for (int i = 0; i < replicas.size(); i++) {
            if (holder.startsWith(replicas.get(i).name + "_")) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * The Lease's holder identity ({@code <replica>_<uuid>}, a new uuid for each process): after a kill it still names
     * the dead process until another one takes the Lease.
     */
    Optional<String> leaderIdentity() {
        Lease lease = admin.leases().inNamespace(chart.namespace()).withName("hardening-operator-leader").get();
        return Optional.ofNullable(lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity());
    }

    /** SIGKILL of one replica's process; its endpoint is withdrawn as soon as the process is gone. */
    void kill(int index) {
        replicas.get(index).process.kill();
    }

    /**
     * When the replica's endpoint was last marked not ready (after a kill: the moment the harness, as kubelet and
     * EndpointSlice controller, took it out of the Service).
     */
    Optional<Instant> withdrawn(int index) {
        Replica replica = replicas.get(index);
        synchronized (replica) {
            return Optional.ofNullable(replica.withdrawn);
        }
    }

    /** {@code address:port} of a replica's webhook, as the API server dials it. */
    String endpoint(int index) {
        return replicas.get(index).network.address() + ":" + WEBHOOK_PORT;
    }

    /** The name of a replica's network namespace ({@code ip netns list}). */
    String netns(int index) {
        return replicas.get(index).network.netns();
    }

    /** The address of a replica's own network namespace. */
    String address(int index) {
        return replicas.get(index).network.address();
    }

    /**
     * A replica's Pod deleted, as a rolling update deletes it: the EndpointSlice controller takes the endpoint out of
     * the Service at once (it does not wait for a failed readiness probe), while the kubelet sends SIGTERM. True when
     * the process exited within its grace period.
     */
    boolean terminate(int index) {
        Replica replica = replicas.get(index);
        replica.terminating = true;
        publish(replica, false);
        return replica.process.stopProcess();
    }

    /** A new process for a replica (same name and port), as the kubelet restarts a killed container. */
    void restart(int index) {
        Replica replica = replicas.get(index);
        replica.restarts++;
        launch(replica);
    }

    private void launch(Replica replica) {
        OperatorProcess process = OperatorProcess.startReplica(cluster,
                replica.restarts == 0 ? replica.name : replica.name + "-restart-" + replica.restarts,
                chart.serviceAccountKubeconfig(replica.name),
                settingsFor(replica), replica.network, WEBHOOK_PORT, MANAGEMENT_PORT);
        synchronized (replica) {
            replica.process = process;
            replica.terminating = false;
        }
        process.onExit(() -> publish(replica, false));
        publish(replica, process.ready());
    }

    private Map<String, String> settingsFor(Replica replica) {
        Map<String, String> env = new java.util.LinkedHashMap<>(chart.settings());
        env.putAll(settings);
        env.put("POD_NAME", replica.name);
        return env;
    }

    /** The kubelet's readiness probe, every 250 ms: the endpoint is ready while the probe passes. */
    private void probeAll() {
        for (Replica replica : replicas) {
            OperatorProcess process;
            synchronized (replica) {
                process = replica.process;
            }
            try {
                if (process != null) {
                    Optional<String> problem = process.alive() ? process.readinessProblem() : Optional.of("exited");
                    if (problem.isPresent() && Boolean.TRUE.equals(replica.published)) {
                        System.err.printf("[e2e] kubelet: %s readiness probe failed: %s%n", replica.name, problem.get());
                    }
                    publish(replica, problem.isEmpty() && !replica.terminating);
                }
            } catch (RuntimeException e) {
                // the next probe tries again (a scheduled task that throws would never run again); said once per outage
                if (!replica.publishFailing) {
                    System.err.printf("[e2e] kubelet: cannot publish the endpoint of %s: %s%n", replica.name, e.getMessage());
                }
                replica.publishFailing = true;
                continue;
            }
            replica.publishFailing = false;
        }
    }

    /** The Service's EndpointSlices as the API server has them, for failure messages. */
    String describeEndpoints() {
        return cluster.kubectl().run("get", "endpointslices", "-n", chart.namespace(), "-o",
                "custom-columns=NAME:.metadata.name,ADDRESS:.endpoints[0].addresses[0],PORT:.ports[0].port,"
                        + "READY:.endpoints[0].conditions.ready").stdout();
    }

    private void publish(Replica replica, boolean ready) {
        synchronized (replica) {
            if (replica.published != null && replica.published == ready) {
                return;
            }
            EndpointSlice slice = new EndpointSliceBuilder()
                    .withNewMetadata().withName(SERVICE + "-" + replica.name).withNamespace(chart.namespace())
                    .addToLabels("kubernetes.io/service-name", SERVICE)
                    .addToLabels("endpointslice.kubernetes.io/managed-by", "e2e-harness")
                    .endMetadata()
                    .withAddressType("IPv4")
                    .addNewEndpoint().withAddresses(replica.network.address()).withNewConditions().withReady(ready).withServing(ready)
                    .endConditions().endEndpoint()
                    .addNewPort().withName("https").withPort(WEBHOOK_PORT).withProtocol("TCP").endPort()
                    .build();
            admin.resource(slice).fieldManager("e2e-harness").forceConflicts().serverSideApply();
            replica.published = ready;
            publishEndpoints();
            System.err.printf("[e2e] kubelet: endpoint %s:%d of %s %s%n", replica.network.address(), WEBHOOK_PORT, replica.name,
                    ready ? "ready" : "not ready");
            if (!ready) {
                replica.withdrawn = Instant.now();
            }
        }
    }

    /** The Service's Endpoints from every replica's published state: one object for all, so written whole. */
    private synchronized void publishEndpoints() {
        List<EndpointAddress> ready = new ArrayList<>();
        List<EndpointAddress> notReady = new ArrayList<>();
        for (Replica replica : replicas) {
            Boolean published = replica.published;
            if (published != null) {
                (published ? ready : notReady).add(new EndpointAddressBuilder().withIp(replica.network.address()).build());
            }
        }
        Endpoints endpoints = new EndpointsBuilder()
                .withNewMetadata().withName(SERVICE).withNamespace(chart.namespace()).endMetadata()
                .addNewSubset().withAddresses(ready).withNotReadyAddresses(notReady)
                .addNewPort().withName("https").withPort(WEBHOOK_PORT).withProtocol("TCP").endPort().endSubset()
                .build();
        admin.resource(endpoints).fieldManager("e2e-harness").forceConflicts().serverSideApply();
    }

    /**
     * Stops every replica (SIGTERM), deletes their EndpointSlices, the Service's Endpoints and network namespaces; the
     * ValidatingWebhookConfiguration goes too. Fails afterwards if a replica had a socket on one of the machine's own
     * external addresses: test traffic stays on loopback and the cluster network.
     */
    @Override
    public void close() {
        kubelet.shutdownNow();
        List<String> external = ControlPlane.externalAddresses();
        List<String> offending = new ArrayList<>();
        for (Replica replica : replicas) {
            if (replica.process != null && replica.process.alive()) {
                SocketAudit.of(replica.process.pid()).stream().filter(s -> s.uses(external))
                        .forEach(s -> offending.add(replica.name + ": " + s));
            }
        }
        for (Replica replica : replicas) {
            // each step on its own: a failed one (the API server gone with a failed test) must not leave a replica's
            // process or network namespace behind for the next test
            try {
                if (replica.process != null) {
                    replica.process.close();
                }
                admin.discovery().v1().endpointSlices().inNamespace(chart.namespace()).withName(SERVICE + "-" + replica.name)
                        .delete();
            } catch (RuntimeException e) {
                System.err.printf("[e2e] cannot stop %s cleanly: %s%n", replica.name, e.getMessage());
            } finally {
                cluster.removeReplicaNetwork(replica.name);
            }
        }
        try {
            admin.endpoints().inNamespace(chart.namespace()).withName(SERVICE).delete();
        } catch (RuntimeException e) {
            System.err.printf("[e2e] cannot delete the Endpoints of %s: %s%n", SERVICE, e.getMessage());
        }
        admin.close();
        if (!offending.isEmpty()) {
            throw new IllegalStateException("replicas used this machine's external address " + external + ":\n"
                    + String.join("\n", offending));
        }
    }

    private static final class Replica {
        final String name;
        final ControlPlane.ReplicaNetwork network;
        int restarts;
        volatile OperatorProcess process;
        volatile Boolean published;
        Instant withdrawn;
        /** The process is being terminated: its endpoint stays withdrawn whatever its readiness probe says. */
        volatile boolean terminating;
        boolean publishFailing;

        Replica(String name, ControlPlane.ReplicaNetwork network) {
            this.name = name;
            this.network = network;
        }
    }
}

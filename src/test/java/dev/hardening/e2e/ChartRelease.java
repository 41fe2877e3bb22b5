package dev.hardening.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart installed with the real helm, and what an operator process needs to run as the chart's Deployment
 * would: a token of the chart's ServiceAccount (so exactly the chart's RBAC) and the chart's ConfigMap as its
 * environment.
 */
final class ChartRelease implements AutoCloseable {

    private final ControlPlane cluster;
    private final String release;
    private final String namespace;
    private final Path helmHome;

    ChartRelease(ControlPlane cluster, String release, String namespace) {
        this.cluster = cluster;
        this.release = release;
        this.namespace = namespace;
        this.helmHome = Project.workDir("helm-" + release);
    }

    /** {@code helm install} into {@link #namespace()}; fails the test unless helm succeeds. */
    static ChartRelease install(ControlPlane cluster, String release, String namespace, String... extraArgs) {
        ChartRelease chart = new ChartRelease(cluster, release, namespace);
        // --take-ownership: the CRD is a template, and on this shared API server an earlier test applied it or an
        // uninstalled release kept it (helm.sh/resource-policy: keep); a fresh cluster needs no flag
        List<String> args = new ArrayList<>(List.of("install", release, Project.root().resolve(Pieces.CHART_DIR).toString(),
                "--namespace", namespace, "--create-namespace", "--take-ownership"));
        args.addAll(List.of(extraArgs));
        Kubectl.Result installed = chart.helm(args.toArray(String[]::new));
        if (installed.exitCode() != 0) {
            throw new AssertionError(installed.describe());
        }
        return chart;
    }

    String namespace() {
        return namespace;
    }

    Kubectl.Result helm(String... args) {
        List<String> command = new ArrayList<>();
        command.add(cluster.tools().helm().toString());
        command.add("--kubeconfig=" + cluster.kubeconfig());
        command.addAll(List.of(args));
        return Kubectl.exec(command, null, Map.of(
                "HELM_CACHE_HOME", helmHome.resolve("cache").toString(),
                "HELM_CONFIG_HOME", helmHome.resolve("config").toString(),
                "HELM_DATA_HOME", helmHome.resolve("data").toString()));
    }

    /** A kubeconfig with a fresh token of the chart's ServiceAccount. */
    Path serviceAccountKubeconfig(String name) {
        String token = cluster.kubectl().ok("create", "token", "hardening-operator", "-n", namespace, "--duration=1h").trim();
        return cluster.kubeconfigWithToken(name, token);
    }

    /** The chart's ConfigMap, which the Deployment passes to the container with envFrom. */
    Map<String, String> settings() {
        String lines = cluster.kubectl().ok("get", "configmap", "hardening-operator", "-n", namespace, "-o",
                "go-template={{range $k, $v := .data}}{{$k}}={{$v}}{{\"\\n\"}}{{end}}");
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    /** {@code helm uninstall}, if still installed. */
    @Override
    public void close() {
        helm("uninstall", release, "--namespace", namespace, "--ignore-not-found");
    }
}

package dev.hardening.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A ServiceAccount of its own with a copy of the chart's operator RBAC (the rendered {@code manifests/}) under other
 * names, so that a test can take a permission away without touching what other tests or a helm release use.
 */
final class OperatorIdentity {

    private final Kubectl admin;
    private final String name;
    private final ClusterRole clusterRole;
    private final Role role;

    private OperatorIdentity(Kubectl admin, String name, ClusterRole clusterRole, Role role) {
        this.admin = admin;
        this.name = name;
        this.clusterRole = clusterRole;
        this.role = role;
    }

    /** Creates the ServiceAccount {@code name} in the operator's namespace, the roles and their bindings. */
    static OperatorIdentity create(ControlPlane cluster, String name) {
        Kubectl admin = cluster.kubectl();
        admin.run("create", "namespace", OperatorProcess.NAMESPACE);
        ClusterRole clusterRole = load("clusterrole-hardening-operator.yaml", ClusterRole.class);
        clusterRole.setMetadata(new ObjectMetaBuilder().withName(name).build());
        Role role = load("role-hardening-operator.yaml", Role.class);
        role.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(OperatorProcess.NAMESPACE).build());
        OperatorIdentity identity = new OperatorIdentity(admin, name, clusterRole, role);
        admin.runWithInput("""
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: %1$s, namespace: %2$s}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %1$s}
                subjects: [{kind: ServiceAccount, name: %1$s, namespace: %2$s}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %1$s, namespace: %2$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: %1$s}
                subjects: [{kind: ServiceAccount, name: %1$s, namespace: %2$s}]
                """.formatted(name, OperatorProcess.NAMESPACE), "apply", "-f", "-");
        identity.apply(clusterRole);
        identity.apply(role);
        return identity;
    }

    /** A kubeconfig with a fresh token of the ServiceAccount. */
    Path kubeconfig(ControlPlane cluster) {
        String token = admin.ok("create", "token", name, "-n", OperatorProcess.NAMESPACE, "--duration=1h").trim();
        return cluster.kubeconfigWithToken(name, token);
    }

    /** Replaces the cluster-wide rules with {@code change} applied to the chart's rules. */
    void changeClusterRules(UnaryOperator<List<PolicyRule>> change) {
        ClusterRole changed = Serialization.clone(clusterRole);
        changed.setRules(change.apply(changed.getRules()));
        apply(changed);
    }

    /** Back to exactly the chart's rules. */
    void restoreClusterRules() {
        apply(clusterRole);
    }

    void delete() {
        admin.run("delete", "clusterrolebinding,clusterrole", name, "--ignore-not-found");
        admin.run("delete", "rolebinding,role,serviceaccount", name, "-n", OperatorProcess.NAMESPACE, "--ignore-not-found");
    }

    private void apply(HasMetadata object) {
        Kubectl.Result result = admin.runWithInput(Serialization.asYaml(object), "apply", "-f", "-");
        if (result.exitCode() != 0) {
            throw new AssertionError(result.describe());
        }
    }

    /**
     * The rendered manifest {@code manifests/NN-<name>}: by name, not number, since the numbers shift whenever the
     * chart gains an object.
     */
    private static <T extends HasMetadata> T load(String name, Class<T> type) {
        try (Stream<Path> files = Files.list(Project.root().resolve("manifests"))) {
            Path file = files.filter(f -> f.getFileName().toString().matches("\\d+-" + Pattern.quote(name)))
                    .findFirst().orElseThrow(() -> new AssertionError("no manifests/NN-" + name));
            return Serialization.unmarshal(Files.readString(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

package dev.hardening.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.hardening.chart.ChartRenderer.ofType;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator's permissions are exactly the documented list in docs/install.md, and bound only to its account. */
class ChartRbacTest {

    static final Path DOCS = Path.of("docs/install.md");

    /** Everything the operator's ServiceAccount is granted with default values (self-managed certificates). */
    static Set<RbacGrant> operatorGrants(List<HasMetadata> objects) {
        Set<RbacGrant> grants = new TreeSet<>();
        for (ClusterRoleBinding binding : ofType(objects, ClusterRoleBinding.class)) {
            ofType(objects, ClusterRole.class).stream()
                    .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
                    .forEach(r -> grants.addAll(RbacGrant.of("cluster", r.getRules())));
        }
        for (RoleBinding binding : ofType(objects, RoleBinding.class)) {
            ofType(objects, Role.class).stream()
                    .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
                    .forEach(r -> grants.addAll(RbacGrant.of("namespace", r.getRules())));
        }
        return grants;
    }

    static Set<RbacGrant> documentedGrants() throws IOException {
        return RbacGrant.fromMarkdownTable(Files.readAllLines(DOCS));
    }

    @Test
    void operatorGetsExactlyTheDocumentedPermissions() throws IOException {
        Set<RbacGrant> documented = documentedGrants();
        assertThat(documented).as("the permission table of %s", DOCS).isNotEmpty();

        assertThat(operatorGrants(ChartRenderer.render())).as("chart RBAC vs the table in %s", DOCS)
                .containsExactlyElementsOf(documented);
    }

    @Test
    void bindingsNameOnlyTheOperatorServiceAccount() {
        List<HasMetadata> objects = ChartRenderer.render();

        assertThat(ofType(objects, ClusterRoleBinding.class)).flatExtracting(ClusterRoleBinding::getSubjects)
                .extracting(s -> s.getKind() + "/" + s.getNamespace() + "/" + s.getName())
                .containsExactly("ServiceAccount/hardening-system/hardening-operator");
        assertThat(ofType(objects, RoleBinding.class)).flatExtracting(RoleBinding::getSubjects)
                .extracting(s -> s.getKind() + "/" + s.getNamespace() + "/" + s.getName())
                .containsExactly("ServiceAccount/hardening-system/hardening-operator");
    }

    @Test
    void nothingIsGrantedOnEveryResourceOrWithEveryVerb() {
        Set<RbacGrant> grants = operatorGrants(ChartRenderer.render());

        assertThat(grants).noneMatch(g -> g.verb().equals("*") || g.resource().equals("*") || g.group().equals("*"));
        assertThat(grants).as("the operator never needs to read Secrets other than its own")
                .filteredOn(g -> g.resource().equals("secrets") && !g.verb().equals("create"))
                .allSatisfy(g -> assertThat(g.name()).isEqualTo("hardening-operator-tls"));
    }
}

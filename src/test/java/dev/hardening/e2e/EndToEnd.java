package dev.hardening.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The set-up every end-to-end test class starts with, done once per class: the packaged pieces checked (a missing one
 * fails the test with what to run; tests never skip), the JVM's shared control plane started, the committed CRD
 * installed, and a work directory under target/e2e named after the class. A class asks for it with
 * {@code @EndToEnd} and takes an {@link E2e} parameter in its {@code @BeforeAll} or test methods.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EndToEnd.Extension.class)
@interface EndToEnd {

    /**
     * What the set-up gives a test: the control plane, kubectl as its admin, fixtures writing to the class's dir, and
     * the operator and namespaces most classes start with.
     */
    record E2e(ControlPlane cluster, Kubectl kubectl, Fixtures fixtures, Path dir, Deque<AutoCloseable> started)
            implements ExtensionContext.Store.CloseableResource {

        /** Creates the operator's namespace and {@code namespaces}. */
        void namespaces(String... namespaces) {
            fixtures.namespace(OperatorProcess.NAMESPACE);
            for (String namespace : namespaces) {
                fixtures.namespace(namespace);
            }
        }

        /** Starts the packaged operator with the admin's kubeconfig; stopped after the class's tests and @AfterAll. */
        OperatorProcess operator(String name, Map<String, String> env) {
            OperatorProcess operator = OperatorProcess.start(cluster, name, cluster.kubeconfig(), env);
            started.push(operator);
            return operator;
        }

        @Override
        public void close() throws Exception {
            while (!started.isEmpty()) {
                started.pop().close();
            }
        }
    }

    final class Extension implements BeforeAllCallback, ParameterResolver {

        private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(EndToEnd.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            context.getStore(STORE).getOrComputeIfAbsent(context.getRequiredTestClass(), Extension::setUp, E2e.class);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == E2e.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getStore(STORE).getOrComputeIfAbsent(context.getRequiredTestClass(), Extension::setUp, E2e.class);
        }

        private static E2e setUp(Class<?> testClass) {
            Pieces.operatorJar();
            ControlPlane cluster = ControlPlane.shared();
            Kubectl kubectl = cluster.kubectl();
            Path dir = Project.workDir(dirName(testClass));
            Fixtures fixtures = new Fixtures(kubectl, dir);
            fixtures.installCrd();
            return new E2e(cluster, kubectl, fixtures, dir, new ArrayDeque<>());
        }

        /** {@code NamespaceAdminRbacIT} -> {@code namespace-admin-rbac-it}. */
        static String dirName(Class<?> testClass) {
            return testClass.getSimpleName().replaceAll("IT$", "It").replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
        }
    }
}

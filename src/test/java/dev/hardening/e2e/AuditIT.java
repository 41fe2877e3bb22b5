package dev.hardening.e2e;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background audit against the real API server: a few thousand Pods listed 50 a page give exact figures, and an
 * audit that cannot list a kind (RBAC taken away) says so in status instead of showing old figures as current.
 * The operator runs with a copy of the chart's RBAC.
 */
@EndToEnd
class AuditIT {

    static final String NS = "e2e-audit-scale";
    static final int PODS = 2_400;
    static final int PAGE_SIZE = 50;

    private static ControlPlane cluster;
    private static Kubectl kubectl;
    private static OperatorIdentity identity;

    @BeforeAll
    static void cluster(EndToEnd.E2e e2e) {
        cluster = e2e.cluster();
        kubectl = e2e.kubectl();
        e2e.fixtures().namespace(NS);
        identity = OperatorIdentity.create(cluster, "audit-it-operator");
    }

    @AfterAll
    static void cleanUp() {
        if (identity != null) {
            identity.delete();
        }
        if (kubectl != null) {
            kubectl.run("delete", "namespace", NS, "--wait=false");
        }
    }

    @Test
    @OldestKubernetes
    void thousandsOfPodsAreAuditedPageByPageWithExactFiguresAndAFailedListShowsInStatus() {
        // created before the operator runs: no webhook is registered, so this is just the API server storing them
        for (int from = 0; from < PODS; from += 400) {
            StringBuilder pods = new StringBuilder();
            for (int i = from; i < Math.min(PODS, from + 400); i++) {
                pods.append(pod("p-" + String.format("%05d", i), i % 2 == 0)).append("---\n");
            }
            Kubectl.Result created = kubectl.runWithInput(pods.toString(), "create", "-f", "-", "-o", "name");
            assertThat(created.exitCode()).as(created.describe()).isZero();
        }
        kubectl.runWithInput(Fixtures.policy(NS, "scale", "Baseline", "Audit"), "apply", "-f", "-");

        try (OperatorProcess operator = OperatorProcess.start(cluster, "audit-it-operator", identity.kubeconfig(cluster),
                Map.of("HARDENING_AUDIT_PAGE_SIZE", Integer.toString(PAGE_SIZE),
                        // the periodic audit, not a spec change, is what notices the RBAC change below
                        "HARDENING_AUDIT_INTERVAL", "3s", "HARDENING_AUDIT_RETRY_AFTER_FAILURE", "2s"))) {
            awaitAudited("True");
            assertThat(jsonpath("{.status.audit.objectsChecked}/{.status.audit.objectsViolating}/"
                    + "{.status.audit.violationsByRule.no-privileged}")).isEqualTo(PODS + "/" + PODS / 2 + "/" + PODS / 2);
            assertThat(jsonpath("{.status.audit.examples[0].name}")).isEqualTo("p-00000");
            assertThat(jsonpath("{.status.conditions[?(@.type==\"Audited\")].message}"))
                    .isEqualTo(PODS + " objects checked, " + PODS / 2 + " violating");
            assertThat(podPagesListed(operator)).as("Pod list requests: at least %d pages of %d", PODS / PAGE_SIZE, PAGE_SIZE)
                    .isGreaterThanOrEqualTo(PODS / PAGE_SIZE);
            Kubectl.Result table = kubectl.run("get", "hp", "scale", "-n", NS);
            assertThat(table.stdoutLines()).as(table.describe()).hasSize(2);
            assertThat(table.stdoutLines().get(1)).as(table.describe())
                    .matches("scale +Baseline +Audit +True +True +" + PODS / 2 + " +\\S+");

            // the operator may no longer list CronJobs: the audit cannot be complete, and says so
            identity.changeClusterRules(rules -> withoutResource(rules, "cronjobs"));
            awaitAudited("False");
            assertThat(jsonpath("{.status.conditions[?(@.type==\"Audited\")].reason}")).isEqualTo("Forbidden");
            assertThat(jsonpath("{.status.conditions[?(@.type==\"Audited\")].message}"))
                    .startsWith("audit failed, no figure is current: cannot list cronjobs.batch in namespace " + NS
                            + ": cronjobs.batch is forbidden: User \"system:serviceaccount:hardening-system:audit-it-operator\""
                            + " cannot list resource \"cronjobs\" in API group \"batch\" in the namespace \"" + NS + "\"");
            assertThat(jsonpath("{.status.audit}")).as("no old figures shown as current").isEmpty();
            assertThat(jsonpath("{.status.conditions[?(@.type==\"Ready\")].status}")).as("admission is unaffected").isEqualTo("True");
            Kubectl.Result failed = kubectl.run("get", "hp", "scale", "-n", NS);
            assertThat(failed.stdoutLines().get(1)).as(failed.describe())
                    .matches("scale +Baseline +Audit +True +False +\\S+"); // VIOLATIONS empty, AGE last

            identity.restoreClusterRules();
            awaitAudited("True");
            assertThat(jsonpath("{.status.audit.objectsViolating}")).isEqualTo(Integer.toString(PODS / 2));
        }
    }

    private static List<PolicyRule> withoutResource(List<PolicyRule> rules, String resource) {
        List<PolicyRule> changed = new ArrayList<>();
        for (PolicyRule rule : rules) {
            if (rule.getResources().contains(resource)) {
                List<String> rest = new ArrayList<>(rule.getResources());
                rest.remove(resource);
                rule.setResources(rest);
            }
            changed.add(rule);
        }
        return changed;
    }

    private static void awaitAudited(String status) {
        Awaitility.await("HardeningPolicy " + NS + "/scale Audited=" + status).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> jsonpath("{.metadata.generation}/{.status.conditions[?(@.type==\"Audited\")].observedGeneration}/"
                        + "{.status.conditions[?(@.type==\"Audited\")].status}"), s -> s.matches("(\\d+)/\\1/" + status));
    }

    private static String jsonpath(String path) {
        return kubectl.ok("get", "hp", "scale", "-n", NS, "-o", "jsonpath=" + path);
    }

    /** hardening_audit_list_pages_total{kind="Pod"} of the operator's /q/metrics. */
    static long podPagesListed(OperatorProcess operator) {
        String metrics = scrape(operator);
        Matcher m = Pattern.compile("(?m)^hardening_audit_list_pages_total\\{kind=\"Pod\"[^}]*} ([0-9.E]+)$").matcher(metrics);
        assertThat(m.find()).as("hardening_audit_list_pages_total{kind=\"Pod\"} in\n%s", metrics).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    static String scrape(OperatorProcess operator) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(operator.managementUrl() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (Exception e) {
            throw new AssertionError("cannot scrape the operator's /q/metrics: " + e, e);
        }
    }

    private static String pod(String name, boolean privileged) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s}
                spec:
                  containers:
                  - name: app
                    image: registry.example.com/app:1
                    securityContext: {privileged: %s}
                """.formatted(name, NS, privileged);
    }
}

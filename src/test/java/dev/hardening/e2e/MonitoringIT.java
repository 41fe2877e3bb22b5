package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's Grafana dashboard and PrometheusRule refer only to metrics that exist: each metric name in their PromQL
 * is exposed by a running operator ({@code /q/metrics}, after it admitted, denied and audited) or by the real API
 * server ({@code /metrics}, after it called the webhook). And {@code promtool check rules} accepts the rendered rules.
 */
@EndToEnd
class MonitoringIT {

    static final String NS = "e2e-monitoring";
    static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset");

    private static ControlPlane cluster;
    private static Kubectl kubectl;
    private static Path dir;
    private static Fixtures fixtures;

    @BeforeAll
    static void cluster(EndToEnd.E2e e2e) {
        cluster = e2e.cluster();
        kubectl = e2e.kubectl();
        dir = e2e.dir();
        fixtures = e2e.fixtures();
        fixtures.namespace(NS);
    }

    @AfterAll
    static void cleanUp() {
        if (kubectl != null) {
            kubectl.run("delete", "namespace", NS, "--wait=false", "--ignore-not-found");
        }
    }

    @Test
    void everyMetricOfTheDashboardAndTheAlertsExistsAndPromtoolAcceptsTheRules() throws Exception {
        List<String> documents = renderChart();
        JsonNode dashboard = dashboard(documents);
        JsonNode rules = prometheusRule(documents);
        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            assertThat(panel.path("targets").size()).as("panel %s has a query", panel.path("title")).isPositive();
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        });
        rules.path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> expressions.add(r.path("expr").asText())));
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(15);

        kubectl.runWithInput(Fixtures.policy(NS, "enforce", "Baseline", "Enforce"), "apply", "-f", "-");
        try (OperatorProcess operator = OperatorProcess.start(cluster, "monitoring-it-operator", cluster.kubeconfig(), Map.of())) {
            fixtures.awaitPolicyReady(NS, "enforce");
            String bad = Manifests.pod(NS, "bad", """
                    containers:
                    - name: app
                      image: registry.example.com/app:1
                      securityContext: {privileged: true}
                    """);
            Awaitility.await("a denial from the webhook").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.runWithInput(bad, "create", "--dry-run=server", "-f", "-").stderr()
                            .contains("[no-privileged]"));
            Awaitility.await("a complete audit").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.ok("get", "hp", "enforce", "-n", NS, "-o",
                            "jsonpath={.status.conditions[?(@.type==\"Audited\")].status}"), "True"::equals);

            String operatorMetrics = AuditIT.scrape(operator);
            String apiserverMetrics = kubectl.ok("get", "--raw", "/metrics");
            Set<String> used = new TreeSet<>();
            expressions.forEach(e -> used.addAll(metricNames(e)));
            assertThat(used).as("metric names in the dashboard and alerts").contains("hardening_ready",
                    "hardening_certificate_expiry_timestamp_seconds", "hardening_audit_runs_total",
                    "hardening_admission_duration_seconds_bucket", "apiserver_admission_webhook_request_total");
            List<String> missing = used.stream()
                    .filter(m -> !exposes(operatorMetrics, m) && !exposes(apiserverMetrics, m)).toList();
            assertThat(missing).as("metrics the dashboard or an alert uses that neither the operator's /q/metrics nor "
                    + "the API server's /metrics exposes").isEmpty();
            assertThat(value(operatorMetrics, "hardening_ready")).isEqualTo(1.0);
            assertThat(value(operatorMetrics, "hardening_certificate_expiry_timestamp_seconds"))
                    .as("the serving certificate's notAfter").isGreaterThan(System.currentTimeMillis() / 1000.0);
        }

        Path file = dir.resolve("rules.yaml");
        ControlPlane.write(file, new YAMLMapper().writeValueAsString(rules.path("spec")));
        Kubectl.Result checked = Kubectl.exec(List.of(cluster.tools().promtool().toString(), "check", "rules", file.toString()),
                null, Map.of());
        assertThat(checked.exitCode()).as(checked.describe()).isZero();
        assertThat(checked.stdout() + checked.stderr()).as(checked.describe()).contains("SUCCESS: 5 rules found");
    }

    private static List<String> renderChart() {
        Kubectl.Result rendered = Kubectl.exec(List.of(cluster.tools().helm().toString(), "template", "hardening-operator",
                "charts/hardening-operator", "--namespace", "hardening-system", "--set", "grafanaDashboard.enabled=true",
                "--set", "prometheusRule.enabled=true"), null, Map.of("HELM_CACHE_HOME", dir.resolve("helm").toString(),
                "HELM_CONFIG_HOME", dir.resolve("helm").toString(), "HELM_DATA_HOME", dir.resolve("helm").toString()));
        assertThat(rendered.exitCode()).as(rendered.describe()).isZero();
        return List.of(rendered.stdout().split("(?m)^---\\s*$"));
    }

    private static JsonNode dashboard(List<String> documents) throws Exception {
        for (String doc : documents) {
            JsonNode node = new YAMLMapper().readTree(doc);
            if (node != null && "ConfigMap".equals(node.path("kind").asText())
                    && node.path("metadata").path("labels").has("grafana_dashboard")) {
                return new ObjectMapper().readTree(node.path("data").path("hardening-operator.json").asText());
            }
        }
        throw new AssertionError("no ConfigMap labelled grafana_dashboard in the rendered chart");
    }

    private static JsonNode prometheusRule(List<String> documents) throws Exception {
        for (String doc : documents) {
            JsonNode node = new YAMLMapper().readTree(doc);
            if (node != null && "PrometheusRule".equals(node.path("kind").asText())) {
                return node;
            }
        }
        throw new AssertionError("no PrometheusRule in the rendered chart");
    }

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords or label names. */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static boolean exposes(String exposition, String metric) {
        return Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]").matcher(exposition).find();
    }

    static double value(String exposition, String metric) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*})? (\\S+)$").matcher(exposition);
        assertThat(m.find()).as("%s in the exposition", metric).isTrue();
        return Double.parseDouble(m.group(2));
    }
}

package dev.hardening.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChartLintTest {

    @Test
    void strictLintReportsNoWarningOrError() {
        LintResult result = new Helm(ChartRenderer.CHART).lint().strict().call();

        assertThat(result.isFailed()).as("helm lint --strict failed: %s", result.getMessages()).isFalse();
        // INFO lines (e.g. "icon is recommended") are advice; anything above that is a defect of the chart
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }
}

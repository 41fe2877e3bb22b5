package dev.hardening.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.hardening.chart.ChartRenderer.sets;
import static org.assertj.core.api.Assertions.assertThat;

/** What `helm install` prints tells the user what to do next. */
class ChartNotesTest {

    @Test
    void placeholderDigestIsCalledOutAndNextStepsAreGiven() {
        String notes = installOutput(Map.of());

        assertThat(notes).contains("WARNING: image.digest is the all-zero placeholder")
                .contains("kubectl -n hardening-system rollout status deployment/hardening-operator")
                .contains("The cluster default policy \"cluster-default\" applies profile Hardened in mode Warn")
                .contains("spec: {profile: Hardened, mode: Enforce}")
                .contains("kubectl delete validatingwebhookconfiguration hardening-operator");
    }

    @Test
    void aRealDigestNeedsNoWarning() {
        String notes = installOutput(sets("image.digest", "sha256:" + "ab".repeat(32), "defaultPolicy.enabled", false));

        assertThat(notes).doesNotContain("WARNING").contains("No cluster default policy was created");
    }

    private static String installOutput(Map<String, Object> sets) {
        InstallCommand install = new Helm(ChartRenderer.CHART).install().withName(ChartRenderer.RELEASE)
                .withNamespace(ChartRenderer.NAMESPACE).clientOnly().dryRun();
        sets.forEach(install::set);
        return install.call().getOutput();
    }
}

package dev.hardening.operator.audit;

import dev.hardening.policy.PolicyRef;
import dev.hardening.rules.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLedgerTest {

    static final PolicyRef REF = new PolicyRef("hardening-system", "cluster-default");
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    static AuditTally tally(String namespace, int violating, int compliant) {
        AuditTally tally = new AuditTally();
        for (int i = 0; i < violating; i++) {
            tally.count(WorkloadKind.POD, namespace, "bad-" + i, Set.of("no-privileged"));
        }
        for (int i = 0; i < compliant; i++) {
            tally.count(WorkloadKind.POD, namespace, "good-" + i, Set.of());
        }
        return tally;
    }

    @Test
    void aReauditedNamespaceReplacesItsShareAndTheTotalsStayThoseOfOnePass() {
        AuditLedger ledger = new AuditLedger();
        ledger.recordFull(REF, 3, NOW, Map.of("team-a", tally("team-a", 2, 1), "team-b", tally("team-b", 1, 0)));
        assertThat(ledger.current(REF, 3)).isTrue();
        assertThat(ledger.current(REF, 4)).as("a new generation needs a full audit").isFalse();

        ledger.replace(REF, "team-a", tally("team-a", 0, 3));
        ledger.replace(REF, "team-c", tally("team-c", 4, 0));
        AuditTally total = ledger.total(REF);
        assertThat(total.checked()).isEqualTo(3 + 1 + 4);
        assertThat(total.violating()).isEqualTo(1 + 4);

        ledger.replace(REF, "team-c", null);
        assertThat(ledger.total(REF).violating()).isEqualTo(1);
        assertThat(ledger.fullAuditAt(REF)).isEqualTo(NOW);
    }

    @Test
    void changedNamespacesAreTakenOnce() {
        AuditLedger ledger = new AuditLedger();
        assertThat(ledger.markChanged(REF, "team-a")).isTrue();
        assertThat(ledger.markChanged(REF, "team-a")).isFalse();
        ledger.markChanged(REF, "team-b");
        assertThat(ledger.takeChanged(REF)).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(ledger.takeChanged(REF)).isEmpty();
        ledger.forget(REF);
        assertThat(ledger.current(REF, 3)).isFalse();
    }
}

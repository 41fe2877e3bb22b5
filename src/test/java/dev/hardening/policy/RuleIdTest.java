package dev.hardening.policy;

import dev.hardening.rules.RuleCatalogue;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class RuleIdTest {

    @Test
    void schemaEnumListsExactlyTheCatalogue() {
        assertThat(Arrays.stream(RuleId.values()).map(RuleId::id)).containsExactlyInAnyOrderElementsOf(RuleCatalogue.ids());
    }

    @Test
    void constantNamesFollowTheIds() {
        for (RuleId id : RuleId.values()) {
            assertThat(id.name()).isEqualTo(id.id().toUpperCase().replace('-', '_'));
            assertThat(RuleId.of(id.id())).contains(id);
        }
        assertThat(RuleId.of("no-such-rule")).isEmpty();
    }
}

package dev.hardening.rules.release;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Kubernetes' $(VAR) expansion as the kubelet does it, with non-literal sources marked. */
class EnvExpansionTest {

    private static final Map<String, String> DEFINED = new java.util.HashMap<>(Map.of("HOST", "db.example.com", "EMPTY", ""));

    static {
        DEFINED.put("FROM_SECRET", null);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "plain|plain",
            "$(HOST)|db.example.com",
            "postgres://$(HOST):5432|postgres://db.example.com:5432",
            "$$(HOST)|$(HOST)",
            "$$$(HOST)|$db.example.com",
            "$(UNDEFINED)|$(UNDEFINED)",
            "$(HOST|$(HOST",
            "cost: 5$|cost: 5$",
            "$x|$x",
            "a$(EMPTY)b|ab",
            "$(FROM_SECRET)|NULL",
            "prefix-$(FROM_SECRET)|NULL",
            "$$(FROM_SECRET)|$(FROM_SECRET)"})
    void expandsLikeTheKubelet(String value, String expected) {
        assertThat(EnvExpansion.expand(value, DEFINED, false)).isEqualTo(expected);
    }

    @Test
    void withEnvFromAnUndefinedNameMayComeFromIt() {
        assertThat(EnvExpansion.expand("$(UNDEFINED)", DEFINED, true)).isNull();
        assertThat(EnvExpansion.expand("$(HOST)", DEFINED, true)).isEqualTo("db.example.com");
    }

    @Test
    void onlyEarlierVariablesAreResolvedAndNonLiteralsPropagate() {
        List<EnvVar> env = List.of(
                new EnvVarBuilder().withName("RAW").withNewValueFrom().withNewSecretKeyRef("password", "db", false)
                        .endValueFrom().build(),
                new EnvVar("WRAPPED", "$(RAW)", null),
                new EnvVar("TWICE", "x$(WRAPPED)", null),
                new EnvVar("EARLY", "$(LATE)", null),
                new EnvVar("LATE", "late", null),
                new EnvVar("UNSET", null, null));

        assertThat(EnvExpansion.literals(env, false)).containsExactly(null, null, null, "$(LATE)", "late", "");
    }

    @Test
    void aNullEntryIsNotALiteral() {
        assertThat(EnvExpansion.literals(Arrays.asList(null, new EnvVar("A", "a", null)), false))
                .containsExactly(null, "a");
    }
}

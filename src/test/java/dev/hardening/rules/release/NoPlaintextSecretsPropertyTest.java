package dev.hardening.rules.release;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the secret value, the violation is the same and never contains it (surefire property-tests execution). */
class NoPlaintextSecretsPropertyTest {

    @Property(tries = 1000)
    void violationDoesNotDependOnTheValue(@ForAll @StringLength(min = 1, max = 200) String value) {
        // booleans, short numbers, absolute paths and bare $(VAR) references are not secrets: they pass
        Assume.that(!SecretLiterals.defaultCredential(value) && !SecretLiterals.notASecret("API_TOKEN", value));

        assertThat(SecretEnv.violations("API_TOKEN", value)).isEqualTo(SecretEnv.violations("API_TOKEN", "placeholder"));
    }

    @Property(tries = 1000)
    void distinctiveValuesNeverAppear(@ForAll @AlphaChars @NumericChars @StringLength(min = 8, max = 64) String value) {
        Assume.that(value.chars().anyMatch(Character::isDigit) && value.chars().anyMatch(Character::isLetter));

        assertThat(SecretEnv.visible(SecretEnv.violations("clientSecret", value))).isNotEmpty().doesNotContain(value);
    }
}

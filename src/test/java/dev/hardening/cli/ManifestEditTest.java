package dev.hardening.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The usage errors fix and pin share (ManifestEdit) and their own: exit 2, one line naming what to change. */
class ManifestEditTest {

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                arguments(new String[] {"fix"}, "nothing to fix: name files or directories, or - for standard input"),
                arguments(new String[] {"pin"}, "nothing to pin: name files or directories, or - for standard input"),
                arguments(new String[] {"fix", "--write", "--diff", "a.yaml"}, "--write and --diff exclude each other"),
                arguments(new String[] {"pin", "--write", "--diff", "a.yaml"}, "--write and --diff exclude each other"),
                arguments(new String[] {"fix", "--write", "-f", "-"},
                        "--write rewrites files: standard input goes to standard output without it"),
                arguments(new String[] {"pin", "--write", "-"},
                        "--write rewrites files: standard input goes to standard output without it"),
                arguments(new String[] {"fix", "--profile", "None", "a.yaml"},
                        "--profile None checks nothing; use Baseline, Restricted or Hardened"),
                arguments(new String[] {"pin", "--check", "--diff", "a.yaml"},
                        "--check changes nothing: not with --write or --diff"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsExitTwoWithOneLine(String[] args, String message) {
        Cli result = Cli.run(args);

        assertThat(result.exitCode()).isEqualTo(HardeningCli.EXIT_ERROR);
        assertThat(result.errLines()).first().asString().contains(message);
        assertThat(result.out()).isEmpty();
    }
}

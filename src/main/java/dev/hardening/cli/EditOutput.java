package dev.hardening.cli;

import dev.hardening.cli.fix.AtomicFiles;
import dev.hardening.cli.fix.UnifiedDiff;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where fix and pin put an edited text: a unified diff (the default for files), the whole text on standard output for
 * standard input, or the file rewritten atomically with {@code --write}.
 */
final class EditOutput {

    @Option(names = "--write", description = "Rewrite the files in place, each one whole or not at all.")
    boolean write;

    @Option(names = "--diff", description = "Print the changes as a unified diff (the default for files).")
    boolean diff;

    void validate(CommandLine commandLine, List<String> names) {
        if (write && diff) {
            throw new CommandLine.ParameterException(commandLine, "--write and --diff exclude each other");
        }
        if (write && names.contains("-")) {
            throw new CommandLine.ParameterException(commandLine,
                    "--write rewrites files: standard input goes to standard output without it");
        }
    }

    /** The summary goes beside what standard output carries: to standard error, unless the files were written. */
    PrintStream reportStream(HardeningCli cli) {
        return write ? cli.out : cli.err;
    }

    /** Hands out {@code text}, the edited {@code source}; a file that cannot be written is a line in the result. */
    String emit(Source source, String text, HardeningCli cli) {
        if (write) {
            if (!text.equals(source.text())) {
                try {
                    AtomicFiles.replace(source.file(), text);
                } catch (IOException e) {
                    return source.name() + ": cannot write: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
            }
        } else if (source.file() == null && !diff) {
            cli.out.print(text);
        } else {
            // a/ and b/ as git writes them, so that `git apply` takes it; an absolute path stays as it is
            boolean relative = !Path.of(source.name()).isAbsolute();
            cli.out.print(UnifiedDiff.of(relative ? "a/" + source.name() : source.name(),
                    relative ? "b/" + source.name() : source.name(), source.text(), text));
        }
        return null;
    }
}

package dev.hardening.cli;

import dev.hardening.cli.fix.AtomicFiles;
import dev.hardening.cli.fix.UnifiedDiff;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What fix and pin share: the manifests they edit, named as check names them (FILE... or -f FILE, a directory, - for
 * standard input), read whole, and where the edited text goes: a unified diff (the default for files), the whole
 * text on standard output for standard input, or the file rewritten atomically with {@code --write}.
 */
final class ManifestEdit {

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Files, directories (searched recursively for *.yaml, *.yml) or - for standard input "
                    + "(the result goes to standard output).")
    List<String> files = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "Same as FILE, as kubectl spells it.")
    List<String> filenames = new ArrayList<>();

    @Option(names = "--write", description = "Rewrite the files in place, each one whole or not at all.")
    boolean write;

    @Option(names = "--diff", description = "Print the changes as a unified diff (the default for files).")
    boolean diff;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The named inputs, after the checks every editing command makes; {@code verb} as in "nothing to fix". */
    List<String> names(String verb) {
        List<String> names = new ArrayList<>(files);
        names.addAll(filenames);
        if (names.isEmpty()) {
            throw usageError("nothing to " + verb + ": name files or directories, or - for standard input");
        }
        if (write && diff) {
            throw usageError("--write and --diff exclude each other");
        }
        if (write && names.contains("-")) {
            throw usageError("--write rewrites files: standard input goes to standard output without it");
        }
        return names;
    }

    /** Every input read whole (they are rewritten as text); what cannot be read is a line in {@code errors}. */
    List<Source> readWhole(List<String> names, List<String> errors) {
        HardeningCli cli = cli();
        return ManifestInputs.loaded(ManifestInputs.sources(names, cli.in, errors,
                note -> cli.err.println("note: " + note)), errors, source -> true);
    }

    /** A usage error of the command this is mixed into: picocli prints it with the usage hint and exits 2. */
    CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(command.commandLine(), message);
    }

    /** The summary goes beside what standard output carries: to standard error, unless the files were written. */
    PrintStream reportStream() {
        return write ? cli().out : cli().err;
    }

    /** Hands out {@code text}, the edited {@code source}; a file that cannot be written is a line in the result. */
    String emit(Source source, String text) {
        HardeningCli cli = cli();
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

    private HardeningCli cli() {
        return (HardeningCli) command.parent().userObject();
    }
}

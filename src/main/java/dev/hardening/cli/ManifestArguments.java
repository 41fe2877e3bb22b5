package dev.hardening.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** The manifests a command edits, named as check names them: FILE... or -f FILE, a directory, - for standard input. */
final class ManifestArguments {

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Files, directories (searched recursively for *.yaml, *.yml) or - for standard input "
                    + "(the result goes to standard output).")
    List<String> files = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "Same as FILE, as kubectl spells it.")
    List<String> filenames = new ArrayList<>();

    List<String> names() {
        List<String> names = new ArrayList<>(files);
        names.addAll(filenames);
        return names;
    }
}

package dev.hardening.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Turns the names on the command line into sources: a file, {@code -} for standard input, or a directory searched
 * recursively for {@code *.yaml}, {@code *.yml} and {@code *.json}. A directory walk does not enter Helm charts
 * (their templates are not YAML until rendered: check them with {@code --helm}) and says so.
 */
final class ManifestInputs {

    private ManifestInputs() {
    }

    /** The sources in the order named, files of a directory in path order; problems go to {@code errors}. */
    static List<Source> sources(List<String> names, InputStream stdin, List<String> errors, Consumer<String> notes) {
        List<Source> sources = new ArrayList<>();
        boolean stdinRead = false;
        for (String name : names) {
            if ("-".equals(name)) {
                if (stdinRead) {
                    errors.add("-: standard input can be named only once");
                    continue;
                }
                stdinRead = true;
                sources.add(Source.stdin(stdin));
                continue;
            }
            Path path = Path.of(name);
            if (Files.isDirectory(path)) {
                for (Path file : manifestFiles(path, notes, errors)) {
                    read(file, file.toString(), sources, errors);
                }
            } else {
                read(path, name, sources, errors);
            }
        }
        return sources;
    }

    static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static List<Path> manifestFiles(Path directory, Consumer<String> notes, List<String> errors) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Path> all = walk.sorted().toList();
            List<Path> charts = all.stream().filter(p -> p.getFileName().toString().equals("Chart.yaml"))
                    .map(Path::getParent).toList();
            charts.forEach(chart -> notes.accept("skipped Helm chart " + chart + " (check it with --helm " + chart + ")"));
            for (Path file : all) {
                if (Files.isRegularFile(file) && isManifest(file) && charts.stream().noneMatch(file::startsWith)) {
                    files.add(file);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            errors.add(directory + ": cannot read the directory: " + reason(e));
        }
        return files;
    }

    /** Only named here: the file is read when it is checked, as a stream. */
    private static void read(Path file, String name, List<Source> sources, List<String> errors) {
        if (Files.exists(file)) {
            sources.add(Source.file(name, file));
        } else {
            errors.add(name + ": no such file or directory");
        }
    }

    /** Why a file could not be read, without quoting it. */
    static String readProblem(Source source, IOException e) {
        if (e instanceof CharacterCodingException) {
            return source.name() + ": not UTF-8 text";
        }
        if (e instanceof NoSuchFileException) {
            return source.name() + ": no such file or directory";
        }
        return source.name() + ": cannot read: " + reason(e);
    }

    private static String reason(Exception e) {
        Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /**
     * The sources {@code which} selects read whole into memory, for the commands that rewrite text (fix, pin) and for
     * a second pass over standard input; strict UTF-8 (a binary file is an error, not garbled YAML), a leading byte-order
     * mark dropped. An unreadable one becomes an error line and is left out.
     */
    static List<Source> loaded(List<Source> sources, List<String> errors, java.util.function.Predicate<Source> which) {
        List<Source> result = new ArrayList<>();
        for (Source source : sources) {
            if (source.text() != null || !which.test(source)) {
                result.add(source);
                continue;
            }
            try {
                byte[] bytes = source.stdin() != null ? source.stdin().readAllBytes() : Files.readAllBytes(source.file());
                String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                result.add(new Source(source.name(), source.file(), text.startsWith("\uFEFF") ? text.substring(1) : text,
                        source.linesKnown()));
            } catch (CharacterCodingException e) {
                errors.add(source.name() + ": not UTF-8 text");
            } catch (IOException e) {
                errors.add(source.name() + ": cannot be read: " + e.getMessage());
            }
        }
        return result;
    }
}

package dev.hardening.cli;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code helm template} in process, with the Helm library the project's chart tests use (helm-java, Helm's Go code
 * as a native library), then one source per rendered document, named after the template that produced it.
 */
final class HelmChart {

    private static final String SOURCE_PREFIX = "# Source: ";

    private HelmChart() {
    }

    /** @param sets {@code key=value} pairs, typed by Helm as with {@code --set} */
    static List<Source> render(Path chart, List<Path> valuesFiles, List<String> sets, String release, String namespace)
            throws InputException {
        if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
            throw new InputException(chart + ": not a Helm chart (no Chart.yaml)");
        }
        for (Path values : valuesFiles) {
            if (!Files.isRegularFile(values)) {
                throw new InputException(values + ": no such values file");
            }
        }
        String rendered;
        try {
            TemplateCommand template = new Helm(chart).template().withName(release).withNamespace(namespace);
            valuesFiles.forEach(template::withValuesFile);
            for (String set : sets) {
                int equals = set.indexOf('=');
                template.set(set.substring(0, equals), set.substring(equals + 1));
            }
            rendered = template.call();
        } catch (LinkageError e) {
            throw new InputException(chart + ": the Helm library cannot run on this platform ("
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                    + "); render with helm template and pipe it into check -");
        } catch (RuntimeException e) {
            throw new InputException(chart + ": helm template failed: " + firstLine(e.getMessage()));
        }
        return documents(chart, rendered);
    }

    /** Splits the output at {@code ---}; each document is named by its {@code # Source:} line. */
    static List<Source> documents(Path chart, String rendered) {
        List<Source> sources = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String template = null;
        for (String line : rendered.split("\n", -1)) {
            if (line.startsWith("---")) {
                add(sources, chart, template, current);
                current.setLength(0);
                template = null;
            } else {
                if (line.startsWith(SOURCE_PREFIX) && template == null) {
                    template = line.substring(SOURCE_PREFIX.length()).trim();
                }
                current.append(line).append('\n');
            }
        }
        add(sources, chart, template, current);
        return sources;
    }

    private static void add(List<Source> sources, Path chart, String template, StringBuilder text) {
        if (text.toString().isBlank()) {
            return;
        }
        // "hardening-operator/templates/deployment.yaml" is relative to the chart's parent directory
        int slash = template == null ? -1 : template.indexOf('/');
        Path file = slash < 0 ? chart : chart.resolve(template.substring(slash + 1));
        sources.add(new Source(file.toString(), file, text.toString(), false));
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}

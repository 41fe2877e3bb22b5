package dev.hardening.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code helm template}, run as the helm binary runs it, then one source per rendered document, named after the
 * template that produced it. The binary, not the helm-java library the chart tests use: that library renders as an
 * install dry run, whose {@code lookup} asks the cluster of the current kubeconfig context (with its credentials), and
 * it cannot choose the Kubernetes version or the API versions. {@code helm template} sends nothing to any cluster
 * ({@code lookup} returns an empty map) and takes both.
 */
final class HelmChart {

    /** The newest Kubernetes version the project supports: what a chart is rendered for unless told otherwise. */
    static final String DEFAULT_KUBE_VERSION = "1.34.0";

    private static final String SOURCE_PREFIX = "# Source: ";

    private HelmChart() {
    }

    /** What to render: the options of {@code helm template} that check passes on. */
    record Options(Path chart, List<Path> valuesFiles, List<String> sets, String release, String namespace,
                   String kubeVersion, List<String> apiVersions) {
    }

    static List<Source> render(Options options) throws InputException {
        Path chart = options.chart();
        if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
            throw new InputException(chart + ": not a Helm chart (no Chart.yaml)");
        }
        for (Path values : options.valuesFiles()) {
            if (!Files.isRegularFile(values)) {
                throw new InputException(values + ": no such values file");
            }
        }
        List<String> command = new ArrayList<>(List.of(helm(), "template", options.release(), chart.toString(),
                "--namespace", options.namespace(), "--kube-version", options.kubeVersion()));
        options.apiVersions().forEach(api -> command.addAll(List.of("--api-versions", api)));
        options.valuesFiles().forEach(values -> command.addAll(List.of("--values", values.toString())));
        options.sets().forEach(set -> command.addAll(List.of("--set", set)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // helm template needs no cluster: no kubeconfig either, so nothing can reach one
        builder.environment().put("KUBECONFIG", "/dev/null");
        try {
            Process process = builder.start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String rendered = read(process.getInputStream());
            if (process.waitFor() != 0) {
                throw new InputException(chart + ": helm template failed: " + firstLine(errors.join()));
            }
            return documents(chart, rendered);
        } catch (IOException e) {
            throw new InputException(chart + ": --helm runs helm template, and there is no helm on PATH (or in "
                    + "HARDENING_HELM): install helm, or render with helm template and pipe it into check -f -");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException(chart + ": interrupted while helm template ran");
        }
    }

    private static String helm() {
        String helm = System.getenv("HARDENING_HELM");
        return helm == null || helm.isBlank() ? "helm" : helm;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
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

    /** helm's error line names the template and what failed; it never holds a value unless the chart printed one. */
    private static String firstLine(String message) {
        String text = String.valueOf(message).strip();
        if (text.startsWith("Error: ")) {
            text = text.substring("Error: ".length());
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}

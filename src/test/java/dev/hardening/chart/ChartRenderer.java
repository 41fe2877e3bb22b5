package dev.hardening.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders charts/hardening-operator with the native Helm of helm-java, the way {@code hack/render-manifests.sh} does
 * (same release name and namespace), and turns the output into objects.
 */
final class ChartRenderer {

    static final Path CHART = Path.of("charts/hardening-operator");
    static final String RELEASE = "hardening-operator";
    static final String NAMESPACE = "hardening-system";

    private ChartRenderer() {
    }

    /** {@code helm template} output; {@code sets} are {@code --set key=value} pairs. Throws with Helm's message. */
    static String renderText(Map<String, Object> sets) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        sets.forEach(template::set);
        return template.call();
    }

    static List<HasMetadata> render(Map<String, Object> sets) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : documents(renderText(sets))) {
            objects.add(Serialization.unmarshal(document));
        }
        return objects;
    }

    static List<HasMetadata> render() {
        return render(Map.of());
    }

    /** The message Helm fails with, or empty when the chart renders. */
    static Optional<String> renderError(Map<String, Object> sets) {
        try {
            renderText(sets);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** The YAML documents of a {@code helm template} output, without Helm's {@code # Source:} comments. */
    static List<String> documents(String rendered) {
        List<String> documents = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        // line by line like the awk of hack/render-manifests.sh: a final newline ends the last line
        String text = rendered.endsWith("\n") ? rendered.substring(0, rendered.length() - 1) : rendered;
        for (String line : text.split("\n", -1)) {
            if (line.matches("---\\s*")) {
                addIfContent(documents, current);
                current.setLength(0);
            } else if (!line.startsWith("# Source: ")) {
                current.append(line).append('\n');
            }
        }
        addIfContent(documents, current);
        return documents;
    }

    private static void addIfContent(List<String> documents, StringBuilder document) {
        if (document.toString().lines().anyMatch(l -> l.startsWith("kind: "))) {
            documents.add(document.toString());
        }
    }

    static Map<String, Object> sets(Object... keyValues) {
        Map<String, Object> sets = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            sets.put((String) keyValues[i], keyValues[i + 1]);
        }
        return sets;
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static List<HasMetadata> ofKind(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }
}

package dev.hardening.chart;

import dev.hardening.HardeningConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Every HARDENING_* variable the chart sets is a setting the operator reads (dev.hardening.HardeningConfig). */
class ChartSettingsTest {

    @Test
    void everyHardeningVariableOfTheConfigMapIsAConfigProperty() {
        Set<String> known = new TreeSet<>();
        collect(HardeningConfig.class.getAnnotation(ConfigMapping.class).prefix(), HardeningConfig.class, known);
        for (Map<String, Object> sets : List.of(Map.<String, Object>of(),
                ChartRenderer.sets("webhook.excludedNamespaces[0]", "monitoring", "certificates.mode", "external",
                        "certificates.external.secretName", "tls", "webhook.controllerUsernames[0]", "system:k3s"))) {
            Map<String, String> data = ChartRenderer.ofType(ChartRenderer.render(sets), ConfigMap.class).get(0).getData();

            assertThat(data.keySet()).filteredOn(k -> k.startsWith("HARDENING_"))
                    .as("ConfigMap variables that HardeningConfig does not read (known: %s)", known)
                    .isSubsetOf(known);
        }
    }

    /** Environment names of the config properties: {@code webhook().failurePolicy()} is HARDENING_WEBHOOK_FAILURE_POLICY. */
    private static void collect(String prefix, Class<?> type, Set<String> names) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            WithName named = method.getAnnotation(WithName.class);
            String name = named != null ? named.value()
                    : method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            String path = prefix + "." + name;
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getDeclaringClass() == HardeningConfig.class) {
                collect(path, returned, names);
            } else {
                names.add(path.toUpperCase().replace('.', '_').replace('-', '_'));
            }
        }
    }
}

package dev.hardening.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Iterator;
import java.util.Map;

/**
 * CRD schema customizer that deep-merges its JSON input into the generated schema of the annotated class, for what
 * the generator's annotations cannot say (list-map keys, item patterns, formats). The generator's own merge-patch
 * customizer replaces {@code properties} wholesale, losing every generated field. Used at build time only.
 */
public final class SchemaPatch implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
        ObjectNode target = serialization.convertValue(schema, ObjectNode.class);
        merge(target, serialization.unmarshal(input, JsonNode.class));
        return serialization.convertValue(target, JSONSchemaProps.class);
    }

    private static void merge(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
                merge(existingObject, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }
}

package dev.hardening.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.hardening.rules.RuleCatalogue;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * CRD schema customizer that restricts the property named by its input (or, for an array, its items) to the ids of
 * the rule catalogue, so that the API server rejects a typo at {@code kubectl apply}. The ids come from the rule
 * registry, never from a second list. Used at build time only.
 */
public final class RuleIdEnum implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps schema, String property, KubernetesSerialization serialization) {
        JSONSchemaProps target = schema.getProperties().get(property);
        if (target == null) {
            throw new IllegalArgumentException("no property " + property + " to restrict to rule ids");
        }
        if ("array".equals(target.getType())) {
            target = target.getItems().getSchema();
        }
        target.setEnum(RuleCatalogue.ids().stream().sorted().<JsonNode>map(TextNode::valueOf).toList());
        return schema;
    }
}

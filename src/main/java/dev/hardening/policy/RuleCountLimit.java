package dev.hardening.policy;

import dev.hardening.rules.RuleCatalogue;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * CRD schema customizer that caps the array property named by its input at one entry per catalogue rule: a list of
 * rule ids (or entries keyed by rule id) can never need more. The limit comes from the rule registry, so adding a
 * rule raises it with the next {@code hack/regenerate.sh}. Used at build time only.
 */
public final class RuleCountLimit implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps schema, String property, KubernetesSerialization serialization) {
        JSONSchemaProps target = schema.getProperties().get(property);
        if (target == null || !"array".equals(target.getType())) {
            throw new IllegalArgumentException("no array property " + property + " to limit to the rule count");
        }
        target.setMaxItems((long) RuleCatalogue.ids().size());
        return schema;
    }
}

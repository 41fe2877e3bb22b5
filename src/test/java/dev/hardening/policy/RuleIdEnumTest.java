package dev.hardening.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hardening.rules.RuleCatalogue;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRD lets the API server refuse a rule id typo: both places that name rules accept exactly the catalogue. */
class RuleIdEnumTest {

    @Test
    void ruleEntriesAndExemptionsAcceptExactlyTheCatalogueIds() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(CrdFreshnessTest.COMMITTED),
                CustomResourceDefinition.class);
        JSONSchemaProps spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
                .getProperties().get("spec");
        JSONSchemaProps ruleId = spec.getProperties().get("rules").getItems().getSchema().getProperties().get("id");
        JSONSchemaProps exempted = spec.getProperties().get("exemptions").getItems().getSchema().getProperties()
                .get("rules").getItems().getSchema();

        assertThat(ruleId.getEnum()).extracting(JsonNode::asText).containsExactlyElementsOf(RuleCatalogue.ids().stream().sorted().toList());
        assertThat(exempted.getEnum()).extracting(JsonNode::asText).containsExactlyElementsOf(RuleCatalogue.ids().stream().sorted().toList());
    }
}

package dev.hardening.policy;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Which hardening rules apply to the pods and workloads of its namespace. Policies in the operator's namespace are
 * the cluster default for namespaces without their own. See docs/policies.md.
 */
@Group(HardeningPolicy.GROUP)
@Version(HardeningPolicy.VERSION)
@Plural("hardeningpolicies")
@ShortNames("hp")
@AdditionalPrinterColumn(name = "Profile", jsonPath = ".spec.profile", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Audited", jsonPath = ".status.conditions[?(@.type==\"Audited\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Violations", jsonPath = ".status.audit.objectsViolating",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// descriptions of the root, spec and status, which the generator takes from nowhere (kubectl explain shows them)
@SchemaCustomizer(value = SchemaPatch.class, input = "{\"description\":\"Which hardening rules apply to the Pods and "
        + "pod-template workloads of its namespace; in the operator's namespace, of every namespace without a policy of "
        + "its own. See docs/policies.md.\",\"properties\":{"
        + "\"spec\":{\"description\":\"What the policy enforces: a profile, rules added or overridden, allowed "
        + "registries and exemptions.\"},"
        + "\"status\":{\"description\":\"What the operator observed: whether the policy is in effect, the rules it "
        + "evaluates and what the last audit of existing workloads found.\"}}}")
public class HardeningPolicy extends CustomResource<HardeningPolicySpec, HardeningPolicyStatus> implements Namespaced {

    public static final String GROUP = "hardening.dev";
    public static final String VERSION = "v1alpha1";

    public PolicyRef ref() {
        return new PolicyRef(getMetadata().getNamespace(), getMetadata().getName());
    }

    public long generation() {
        Long generation = getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}

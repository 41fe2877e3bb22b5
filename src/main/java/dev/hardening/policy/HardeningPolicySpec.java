package dev.hardening.policy;

import dev.hardening.rules.Profile;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

/** What a HardeningPolicy enforces in its namespace. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "!has(self.rules) || !self.rules.exists(r, r.id == 'image-registry' && (!has(r.mode) || r.mode != 'Off'))"
        + " || (has(self.registries) && size(self.registries) > 0)",
        message = "rule image-registry needs at least one entry in spec.registries",
        fieldPath = ".registries", reason = "FieldValueRequired")
// rules is a map keyed by id: one entry per rule, and server-side apply merges entries by id
@SchemaCustomizer(value = SchemaPatch.class,
        input = "{\"properties\":{\"rules\":{\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"id\"]},"
                + "\"registries\":{\"items\":{\"pattern\":\"^[^\\\\s]+/$\",\"maxLength\":253}}}}")
@SchemaCustomizer(value = RuleCountLimit.class, input = "rules")
public class HardeningPolicySpec {

    @Default("Hardened")
    @JsonPropertyDescription("Rule set to start from: Baseline and Restricted follow the Kubernetes Pod Security "
            + "Standards, Hardened adds release-checklist rules, None starts empty. Default Hardened.")
    private Profile profile = Profile.Hardened;

    @Default("Enforce")
    @JsonPropertyDescription("What violations lead to unless a rule entry says otherwise: Enforce (deny the request), "
            + "Warn (allow and return a warning kubectl prints) or Audit (allow and record). Default Enforce.")
    private PolicyMode mode = PolicyMode.Enforce;

    @JsonPropertyDescription("Rules added to the profile or overriding its mode, one entry per rule id. "
            + "Mode Off removes a rule of the profile.")
    private List<RuleEntry> rules = new ArrayList<>();

    @Size(max = 64)
    @JsonPropertyDescription("Allowed image prefixes for rule image-registry, each ending with /, e.g. "
            + "registry.example.com/ or ghcr.io/acme/. Required when image-registry is listed in rules.")
    private List<String> registries = new ArrayList<>();

    @JsonPropertyDescription("What the namespace may expose: Service types, external IP ranges, and the directions a "
            + "NetworkPolicy must isolate.")
    private NetworkSettings network;

    @JsonPropertyDescription("What rules image-vulnerabilities and image-scanned accept: the lowest severity reported, "
            + "unfixed findings, the oldest scan, and vulnerabilities ignored for a reason.")
    private ScanSpec scan;

    @Size(max = 100)
    @JsonPropertyDescription("Violations allowed despite the rules: each names its rules, optionally narrows to "
            + "object names, containers and image globs, states a reason and may expire.")
    private List<Exemption> exemptions = new ArrayList<>();

    public Profile getProfile() {
        return profile;
    }

    public void setProfile(Profile profile) {
        this.profile = profile;
    }

    public PolicyMode getMode() {
        return mode;
    }

    public void setMode(PolicyMode mode) {
        this.mode = mode;
    }

    public List<RuleEntry> getRules() {
        return rules;
    }

    public void setRules(List<RuleEntry> rules) {
        this.rules = rules;
    }

    public List<String> getRegistries() {
        return registries;
    }

    public void setRegistries(List<String> registries) {
        this.registries = registries;
    }

    public NetworkSettings getNetwork() {
        return network;
    }

    public void setNetwork(NetworkSettings network) {
        this.network = network;
    }

    public ScanSpec getScan() {
        return scan;
    }

    public void setScan(ScanSpec scan) {
        this.scan = scan;
    }

    public List<Exemption> getExemptions() {
        return exemptions;
    }

    public void setExemptions(List<Exemption> exemptions) {
        this.exemptions = exemptions;
    }
}

package dev.hardening.engine;

import dev.hardening.policy.HardeningPolicy;
import dev.hardening.testing.PolicyYaml;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PolicyValidatorTest {

    static Stream<Arguments> scenarios() {
        return Stream.of(
                scenario("empty spec is valid", "{}"),
                scenario("the issue's example is valid", """
                        profile: Hardened
                        mode: Enforce
                        rules:
                        - id: resource-limits
                          mode: Warn
                        - id: image-registry
                        registries: ["registry.example.com/", "ghcr.io/acme/"]
                        exemptions:
                        - rules: [read-only-root-filesystem]
                          containers: [legacy]
                          images: ["registry.example.com/legacy/*"]
                          reason: "writes its cache to /var/cache; ticket SEC-123"
                          expires: "2027-01-31T00:00:00Z"
                        """),
                scenario("duplicate rule ids", """
                        rules:
                        - id: image-tag
                        - id: image-tag
                          mode: Warn
                        """, "spec.rules[1].id: Duplicate value: \"image-tag\""),
                scenario("unknown rule id (the CRD's enum stops it at the API server, not in a file read offline)", """
                        rules:
                        - id: no-such-rule
                        exemptions:
                        - rules: [no-such-rule]
                          reason: typo
                        """, "spec.rules[0].id: Invalid value: \"no-such-rule\": no such rule (docs/rules.md lists them)",
                        "spec.exemptions[0].rules[0]: Invalid value: \"no-such-rule\": rule is not in effect in this policy"),
                scenario("image-registry without registries", """
                        rules:
                        - id: image-registry
                        """, "spec.registries: Required value: rule image-registry is in effect and needs allowed prefixes"),
                scenario("image-registry Off needs no registries", """
                        rules:
                        - id: image-registry
                          mode: "Off"
                        """),
                scenario("registry not ending with a slash", """
                        registries: ["registry.example.com", "ghcr.io/acme/"]
                        """, "spec.registries[0]: Invalid value: \"registry.example.com\": must be an image prefix ending with \"/\", e.g. registry.example.com/"),
                scenario("scan settings are valid", """
                        rules:
                        - id: image-vulnerabilities
                        - id: image-scanned
                          mode: Warn
                        scan:
                          severity: HIGH
                          ignoreUnfixed: true
                          maxAge: 72h30m
                          ignore:
                          - id: CVE-2019-14697
                            images: ["registry.example.com/legacy/*"]
                            reason: "not reachable from the app; SEC-7"
                            expires: "2027-01-31T00:00:00Z"
                        """),
                scenario("every scan error at once, with its path", """
                        scan:
                          maxAge: 7d
                          ignore:
                          - id: "CVE 2019"
                            images: ["bad glob!"]
                            expires: tomorrow
                          - reason: no id
                        """, "spec.scan.maxAge: Invalid value: \"7d\": must be a positive duration in hours, minutes and "
                                + "seconds, e.g. 168h or 72h30m",
                        "spec.scan.ignore[0].id: Invalid value: \"CVE 2019\": must be a vulnerability id as the scanner "
                                + "reports it, e.g. CVE-2019-14697",
                        "spec.scan.ignore[0].images[0]: Invalid value: \"bad glob!\": must be an image glob: image "
                                + "reference characters, * and ?",
                        "spec.scan.ignore[0].reason: Required value: say why the vulnerability is accepted",
                        "spec.scan.ignore[0].expires: Invalid value: \"tomorrow\": must be an RFC 3339 date-time, e.g. "
                                + "2027-01-31T00:00:00Z",
                        "spec.scan.ignore[1].id: Required value: name the vulnerability, e.g. CVE-2019-14697"),
                scenario("a zero maxAge", "scan: {maxAge: 0h}\n",
                        "spec.scan.maxAge: Invalid value: \"0h\": must be a positive duration in hours, minutes and "
                                + "seconds, e.g. 168h or 72h30m"),
                scenario("network settings are valid", """
                        network:
                          allowedServiceTypes: [ClusterIP, LoadBalancer]
                          allowedExternalIPs: ["203.0.113.0/24", "2001:db8::/64", "198.51.100.7"]
                          requiredPolicyTypes: [Ingress, Egress]
                        exemptions:
                        - rules: [service-node-port]
                          names: [ingress-nginx-controller]
                          reason: the one public entry point
                        """),
                scenario("every network problem at once, each with its path", """
                        network:
                          allowedServiceTypes: [NodePort, NodePort]
                          allowedExternalIPs: ["203.0.113.0/33", "10.0.0.0/8", "example.com", "127.1", "0.0.0.0/0"]
                          requiredPolicyTypes: []
                        exemptions:
                        - rules: [service-external-ips]
                          names: [Ingress_Controller]
                          reason: legacy
                        """, "spec.network.allowedServiceTypes[1]: Duplicate value: \"NodePort\"",
                        "spec.network.allowedExternalIPs[0]: Invalid value: \"203.0.113.0/33\": must be an IP address or a CIDR, e.g. 203.0.113.0/24 or 2001:db8::/64",
                        "spec.network.allowedExternalIPs[2]: Invalid value: \"example.com\": must be an IP address or a CIDR, e.g. 203.0.113.0/24 or 2001:db8::/64",
                        "spec.network.allowedExternalIPs[3]: Invalid value: \"127.1\": must be an IP address or a CIDR, e.g. 203.0.113.0/24 or 2001:db8::/64",
                        "spec.network.allowedExternalIPs[4]: Invalid value: \"0.0.0.0/0\": allows every address, which is what rule service-external-ips prevents; set the rule's mode to Off instead",
                        "spec.network.requiredPolicyTypes: Required value: name Ingress, Egress or both (or remove it: default Ingress)",
                        "spec.exemptions[0].names[0]: Invalid value: \"Ingress_Controller\": must be an object name (RFC 1123 subdomain)"),
                scenario("exemption for a rule not in the profile", """
                        profile: Baseline
                        exemptions:
                        - rules: [no-privileged, image-digest]
                          reason: legacy
                        """, "spec.exemptions[0].rules[1]: Invalid value: \"image-digest\": rule is not in effect in this policy"),
                scenario("exemption for a rule switched Off", """
                        rules:
                        - id: health-probes
                          mode: "Off"
                        exemptions:
                        - rules: [health-probes]
                          reason: batch
                        """, "spec.exemptions[0].rules[0]: Invalid value: \"health-probes\": rule is not in effect in this policy"),
                scenario("every exemption problem at once", """
                        exemptions:
                        - rules: []
                          containers: [Legacy_App]
                          images: ["registry.example.com/legacy app"]
                          reason: " "
                          expires: "next tuesday"
                        """,
                        "spec.exemptions[0].rules: Required value: name at least one rule",
                        "spec.exemptions[0].containers[0]: Invalid value: \"Legacy_App\": must be a container name (RFC 1123 label)",
                        "spec.exemptions[0].images[0]: Invalid value: \"registry.example.com/legacy app\": must be an image glob: image reference characters, * and ?",
                        "spec.exemptions[0].reason: Required value: say why the exemption exists",
                        "spec.exemptions[0].expires: Invalid value: \"next tuesday\": must be an RFC 3339 date-time, e.g. 2027-01-31T00:00:00Z"),
                scenario("date without time is not RFC 3339 date-time", """
                        exemptions:
                        - rules: [image-digest]
                          reason: r
                          expires: "2027-01-31"
                        """, "spec.exemptions[0].expires: Invalid value: \"2027-01-31\": must be an RFC 3339 date-time, e.g. 2027-01-31T00:00:00Z"),
                scenario("offsets other than Z are fine", """
                        exemptions:
                        - rules: [image-digest]
                          reason: r
                          expires: "2027-01-31T09:30:00+02:00"
                        """),
                scenario("errors across sections are all reported", """
                        rules:
                        - id: image-tag
                        - id: image-tag
                        exemptions:
                        - rules: [image-registry]
                          reason: r
                        """,
                        "spec.rules[1].id: Duplicate value: \"image-tag\"",
                        "spec.exemptions[0].rules[0]: Invalid value: \"image-registry\": rule is not in effect in this policy"));
    }

    private static Arguments scenario(String name, String spec, String... errors) {
        return arguments(Named.of(name, spec), List.of(errors));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void reportsEveryErrorWithItsPath(String spec, List<String> expected) {
        HardeningPolicy policy = PolicyYaml.policy("payments", "p", spec);
        assertThat(PolicyValidator.validate(policy.getSpec())).map(FieldError::toString)
                .containsExactlyElementsOf(expected);
    }
}

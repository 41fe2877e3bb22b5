package dev.hardening.rules;

import dev.hardening.testing.Yaml;
import dev.hardening.policy.HardeningPolicy;
import dev.hardening.policy.ImageScan;
import dev.hardening.engine.ImageScans;
import dev.hardening.engine.PolicyCompiler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One manifest of the fixture corpus {@code src/test/resources/rules/<rule-id>/{allowed,denied}/*.yaml}.
 * Header comments state what a denied fixture must yield, one line per expected violation:
 * <pre>
 * # expect: spec.template.spec.containers[0].securityContext.privileged container=app
 * # expect: spec.template.spec.hostNetwork
 * # registries: registry.example.com/, ghcr.io/acme/
 * # allowedServiceTypes: ClusterIP, NodePort
 * # allowedExternalIPs: 203.0.113.0/24
 * # requiredPolicyTypes: Ingress, Egress
 * # scan: {severity: HIGH, ignoreUnfixed: true, maxAge: 168h, ignore: [...]}
 * # now: 2026-12-04T00:00:00Z
 * </pre>
 * The first document is the object judged; the NetworkPolicies in the documents after it are its namespace's, for
 * network-policy-coverage ({@link #targetFor}), and the ImageScans the scans known, for the scan rules (judged at
 * {@code # now:}, with {@code # scan:} as the policy's spec.scan).
 */
public record RuleFixture(Path file, Target target, Set<String> expected, RuleSettings settings, NetworkPolicies networkPolicies) {

    public static final Path ROOT = Path.of("src/test/resources/rules");

    public static RuleFixture load(Path file) {
        try {
            String text = Files.readString(file);
            String[] documents = text.split("\n---\n");
            HasMetadata object = Yaml.workload(documents[0]);
            List<NetworkPolicy> networkPolicies = new ArrayList<>();
            List<ScanResult> scans = new ArrayList<>();
            for (int i = 1; i < documents.length; i++) {
                if (documents[i].contains("\nkind: ImageScan\n")) {
                    scans.add(ImageScans.toResult(Yaml.object(documents[i], ImageScan.class))
                            .orElseThrow(() -> new IllegalArgumentException(file + ": malformed ImageScan")));
                } else {
                    networkPolicies.add(Yaml.object(documents[i], NetworkPolicy.class));
                }
            }
            WorkloadKind kind = WorkloadKind.ofKind(object.getKind())
                    .orElseThrow(() -> new IllegalArgumentException(file + ": not a workload kind: " + object.getKind()));
            Set<String> expected = new TreeSet<>();
            List<String> registries = List.of();
            Set<String> serviceTypes = null;
            List<IpRange> externalIPs = List.of();
            Set<String> policyTypes = null;
            ScanSettings scan = null;
            Instant now = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("# expect:")) {
                    expected.add(line.substring("# expect:".length()).trim());
                } else if (line.startsWith("# registries:")) {
                    registries = list(line, "# registries:");
                } else if (line.startsWith("# allowedServiceTypes:")) {
                    serviceTypes = Set.copyOf(list(line, "# allowedServiceTypes:"));
                } else if (line.startsWith("# allowedExternalIPs:")) {
                    externalIPs = list(line, "# allowedExternalIPs:").stream().map(r -> IpRange.parse(r).orElseThrow()).toList();
                } else if (line.startsWith("# requiredPolicyTypes:")) {
                    policyTypes = Set.copyOf(list(line, "# requiredPolicyTypes:"));
                } else if (line.startsWith("# scan:")) {
                    HardeningPolicy policy = Yaml.object("apiVersion: hardening.dev/v1alpha1\n"
                            + "kind: HardeningPolicy\nmetadata: {name: fixture}\nspec: {profile: None, scan: "
                            + line.substring("# scan:".length()).trim() + "}\n", HardeningPolicy.class);
                    scan = PolicyCompiler.compile(policy).policy().settings().scan();
                } else if (line.startsWith("# now:")) {
                    now = Instant.parse(line.substring("# now:".length()).trim());
                }
            }
            return new RuleFixture(file, kind.target(object, Yaml.tree(documents[0])), expected,
                    new RuleSettings(registries, serviceTypes, externalIPs, policyTypes, scan).at(now, ScanLookup.of(scans)),
                    NetworkPolicies.of(networkPolicies, object.getMetadata().getNamespace()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code rule} judges: the object, or, for network-policy-coverage, the object among its namespace's NetworkPolicies. */
    public Target targetFor(Rule rule) {
        if (rule.judges() == Target.Type.COVERAGE) {
            return new CoverageTarget((PodTarget) target, ((PodTarget) target).namespace(), networkPolicies);
        }
        return target;
    }

    private static List<String> list(String line, String header) {
        return Arrays.stream(line.substring(header.length()).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }

    /** The same {@code path[ container=name]} form as the {@code # expect:} lines. */
    public static String describe(Violation violation) {
        return violation.container() == null ? violation.path() : violation.path() + " container=" + violation.container();
    }
}

package dev.hardening.cli;

import dev.hardening.policy.PolicyMode;
import dev.hardening.rules.Profile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import dev.hardening.rules.NetworkPolicies;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.ScanResult;
import dev.hardening.rules.Target;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code hardening check}: judges manifests as the admission webhook would judge their creation. Reads everything
 * first; any unreadable input or invalid policy prints one line per problem and exits 2 with no report.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks the pods, pod-template workloads (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, "
                + "Job, CronJob, ReplicationController, PodTemplate) and Services in manifests, as the admission webhook "
                + "would judge their creation. Other kinds are skipped and counted.",
                "Examples:",
                "  hardening check deploy/",
                "  helm template charts/app | hardening check -f - -o sarif > hardening.sarif",
                "  kubectl hardening check -f deploy.yaml --policy policies/prod.yaml",
                "  hardening check --helm charts/app --values prod.yaml -o junit > hardening.xml"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:nothing is denied", "1:an Enforce violation (with --fail-on warn, a Warn one too)",
                "2:usage, parse or policy error (one line each, naming file and line)"})
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    HardeningCli cli;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Files, directories (searched recursively for *.yaml, *.yml, *.json) or - for standard input.")
    List<String> files = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "Same as FILE, as kubectl spells it.")
    List<String> filenames = new ArrayList<>();

    @Option(names = "--helm", paramLabel = "CHART", description = "Render this chart directory with helm template (helm on PATH, or HARDENING_HELM; no cluster is asked anything) and check the result.")
    Path chart;

    @Option(names = "--values", paramLabel = "FILE", description = "Values file for --helm (repeatable).")
    List<Path> values = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Value for --helm, typed as helm --set types it (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--release", paramLabel = "NAME", defaultValue = "release-name",
            description = "Release name for --helm (default: ${DEFAULT-VALUE}).")
    String release;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
            description = "Release namespace for --helm, and the namespace of objects that name none (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--kube-version", paramLabel = "VERSION", defaultValue = HelmChart.DEFAULT_KUBE_VERSION,
            description = "Kubernetes version for --helm, as helm template --kube-version (default: ${DEFAULT-VALUE}).")
    String kubeVersion;

    @Option(names = "--api-versions", paramLabel = "GROUP/VERSION",
            description = "API version the cluster offers, for --helm's .Capabilities, as helm template --api-versions (repeatable).")
    List<String> apiVersions = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "FILE",
            description = "HardeningPolicy manifests (repeatable; other kinds in the files are ignored). All apply, as "
                    + "the policies of one namespace do: each judges on its own, any Enforce denial fails.")
    List<Path> policies = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "PROFILE",
            description = "Without --policy: Baseline, Restricted or Hardened (default: Hardened).")
    Profile profile;

    @Option(names = "--mode", paramLabel = "MODE", description = "Without --policy: Enforce, Warn or Audit (default: Enforce).")
    PolicyMode mode;

    @Option(names = "--require-network-policy",
            description = "Where a policy enables network-policy-coverage: judge a namespace with no NetworkPolicy in the "
                    + "input as uncovered (default: report it as not evaluated; it may have one in the cluster).")
    boolean requireNetworkPolicy;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json, sarif or junit (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "enforce",
            description = "enforce: exit 1 when an object is denied; warn: also when one gets a warning (default: ${DEFAULT-VALUE}).")
    CheckReport.FailOn failOn;

    @Option(names = "--keep-going",
            description = "Check every file and object that can be read; list those that cannot on standard error at "
                    + "the end, after the report, and exit 2. Without it, any unreadable input means no report.")
    boolean keepGoing;

    @Option(names = "--scan-report", paramLabel = "FILE",
            description = "A Trivy (-f json) or Grype (-o json) report of an image, for the rules image-vulnerabilities "
                    + "and image-scanned, as the cluster holds it after hardening scan import (repeatable).")
    List<Path> scanReports = new ArrayList<>();

    @Option(names = "--now", paramLabel = "TIME", converter = InstantConverter.class,
            description = "The time exemptions and scan ignores expire against and scan ages are judged at, RFC 3339 "
                    + "(default: the clock).")
    Instant now;

    @Override
    public Integer call() {
        validateUsage();
        List<String> errors = new ArrayList<>();
        Set<String> warned = new HashSet<>();
        ManifestParser yaml = new ManifestParser(warning -> {
            if (warned.add(warning)) {
                cli.err.println("warning: " + warning);
            }
        });
        List<CheckPolicy> checkPolicies = policies(yaml, errors);
        ScanLookup scans = scans(errors);
        boolean policiesValid = errors.isEmpty();
        List<Source> sources = new ArrayList<>();
        List<String> names = new ArrayList<>(files);
        names.addAll(filenames);
        sources.addAll(ManifestInputs.sources(names, cli.in, errors, note -> cli.err.println("note: " + note)));
        if (chart != null) {
            try {
                sources.addAll(HelmChart.render(new HelmChart.Options(chart, values, sets, release, namespace,
                        kubeVersion, apiVersions)));
            } catch (InputException e) {
                errors.add(e.getMessage());
            }
        }
        CheckReport report = new CheckReport(checkPolicies, now == null ? Instant.now() : now);
        NetworkPolicies networkPolicies = NetworkPolicies.of(List.of(), namespace);
        if (checkPolicies.stream().anyMatch(p -> p.compiled().judges(Target.Type.COVERAGE))) {
            // a NetworkPolicy may come after the workloads it covers: a first pass collects them, a document at a
            // time (standard input, which cannot be read twice, is held in memory for it)
            sources = ManifestInputs.loaded(sources, errors, source -> source.stdin() != null);
            networkPolicies = networkPolicies(yaml, sources);
        }
        ObjectChecker checker = new ObjectChecker(checkPolicies, report.now(), networkPolicies, namespace,
                requireNetworkPolicy, scans);
        for (Source source : sources) {
            try {
                // one document at a time: it is judged and dropped, only its findings stay
                yaml.parse(source, document -> {
                    try {
                        checker.check(document, report);
                    } catch (InputException e) {
                        errors.addAll(e.lines());
                    }
                });
            } catch (InputException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty() && (!keepGoing || !policiesValid)) {
            errors.forEach(line -> cli.err.println("error: " + line));
            return HardeningCli.EXIT_ERROR;
        }
        report.unreadable(errors);
        output.write(report, failOn, cli.out);
        cli.out.flush();
        if (output != OutputFormat.table && output != OutputFormat.json && !report.coverageNote().isEmpty()) {
            // SARIF and JUnit have no place for it; a pipeline's log does
            cli.err.println("note: " + report.coverageNote());
        }
        errors.forEach(line -> cli.err.println("error: " + line));
        return report.exitCode(failOn);
    }

    /** The scans of the --scan-report files; a report that cannot be used is an error, like an invalid policy. */
    private ScanLookup scans(List<String> errors) {
        List<ScanResult> results = new ArrayList<>();
        for (Path report : scanReports) {
            try {
                results.addAll(ScanReports.read(report));
            } catch (InputException e) {
                errors.addAll(e.lines());
            }
        }
        return ScanLookup.of(results);
    }

    /** The NetworkPolicies of every source, read a document at a time; what cannot be read is reported by the check. */
    private NetworkPolicies networkPolicies(ManifestParser yaml, List<Source> sources) {
        List<NetworkPolicy> found = new ArrayList<>();
        for (Source source : sources) {
            try {
                yaml.parse(source, document -> ObjectChecker.collectNetworkPolicies(document, found));
            } catch (InputException e) {
                // the checking pass reports it, once
            }
        }
        return NetworkPolicies.of(found, namespace);
    }

    private void validateUsage() {
        if (files.isEmpty() && filenames.isEmpty() && chart == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "nothing to check: name files or directories, - for standard input, or --helm CHART");
        }
        if (!policies.isEmpty() && (profile != null || mode != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--policy sets profile and mode itself: use --profile/--mode only without --policy");
        }
        if (chart == null && (!values.isEmpty() || !sets.isEmpty() || !apiVersions.isEmpty())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--values, --set and --api-versions need --helm CHART");
        }
        if (profile == Profile.None) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--profile None checks nothing; use Baseline, Restricted or Hardened");
        }
        for (String set : sets) {
            if (set.indexOf('=') < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--set needs KEY=VALUE, got \"" + set + "\"");
            }
        }
    }

    private List<CheckPolicy> policies(ManifestParser yaml, List<String> errors) {
        if (policies.isEmpty()) {
            return List.of(PolicyLoader.profile(profile == null ? Profile.Hardened : profile,
                    mode == null ? PolicyMode.Enforce : mode));
        }
        List<Document> documents = new ArrayList<>();
        List<String> names = policies.stream().map(Path::toString).toList();
        for (Source source : ManifestInputs.sources(names, cli.in, errors, note -> { })) {
            try {
                List<Document> parsed = yaml.parse(source);
                if (parsed.stream().noneMatch(d -> "HardeningPolicy".equals(d.object().path("kind").asText()))) {
                    errors.add(source.name() + ": no HardeningPolicy in this file");
                }
                documents.addAll(parsed);
            } catch (InputException e) {
                errors.add(e.getMessage());
            }
        }
        return PolicyLoader.fromDocuments(documents, errors);
    }

    /** RFC 3339, e.g. {@code 2027-01-31T00:00:00Z} or with an offset. */
    static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("expected an RFC 3339 time like 2027-01-31T00:00:00Z, got \"" + value + "\"");
            }
        }
    }
}

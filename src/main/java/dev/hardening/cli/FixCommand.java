package dev.hardening.cli;

import dev.hardening.policy.PolicyMode;
import dev.hardening.rules.Profile;
import dev.hardening.rules.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hardening fix}: applies the fixes the rules know to be mechanical as minimal text edits, and lists what needs
 * a human. Reads and fixes everything in memory first; any unreadable input prints one line per problem, exits 2 and
 * writes nothing.
 */
@Command(name = "fix", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fixes what the rules can fix without a human decision (runAsNonRoot, allowPrivilegeEscalation, "
                + "capabilities, seccompProfile, readOnlyRootFilesystem, privileged) by editing only those fields: "
                + "comments, key order, quoting, anchors and line endings stay as they are. Lists the findings a human "
                + "has to fix (limits, probes, secrets, host paths, image digests: see hardening pin).",
                "Examples:",
                "  hardening fix deploy/                 # the changes as a unified diff",
                "  hardening fix --write deploy/         # in place",
                "  helm template charts/app | hardening fix -f - > fixed.yaml"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:after the fixes nothing is denied", "1:an Enforce violation remains that needs a human",
                "2:usage or parse error, or a file could not be written (one line each)"})
final class FixCommand implements Callable<Integer> {

    @ParentCommand
    HardeningCli cli;


    @Mixin
    ManifestEdit manifests;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "Baseline, Restricted or Hardened (default: Hardened).")
    Profile profile;

    @Override
    public Integer call() {
        List<String> names = manifests.names("fix");
        validateUsage();
        List<String> errors = new ArrayList<>();
        List<Source> sources = manifests.readWhole(names, errors);
        List<CheckPolicy> policies = List.of(PolicyLoader.profile(profile == null ? Profile.Hardened : profile,
                PolicyMode.Enforce));
        ManifestFixer fixer = new ManifestFixer(policies, Instant.now());
        List<ManifestFixer.Result> results = new ArrayList<>();
        for (Source source : sources) {
            try {
                results.add(fixer.fix(source));
            } catch (InputException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(line -> cli.err.println("error: " + line));
            return HardeningCli.EXIT_ERROR;
        }
        PrintStream report = manifests.reportStream();
        for (ManifestFixer.Result result : results) {
            String error = manifests.emit(result.source(), result.text());
            if (error != null) {
                errors.add(error);
            }
        }
        summarize(results, report);
        if (!errors.isEmpty()) {
            errors.forEach(line -> cli.err.println("error: " + line));
            return HardeningCli.EXIT_ERROR;
        }
        return results.stream().anyMatch(r -> r.report().exitCode(CheckReport.FailOn.enforce) != 0) ? 1 : 0;
    }

    private void validateUsage() {
        if (profile == Profile.None) {
            throw manifests.usageError("--profile None checks nothing; use Baseline, Restricted or Hardened");
        }
    }

    /** {@code fixed 7 problems in 2 of 3 files}, then each finding that is left, with its fix text. */
    private static void summarize(List<ManifestFixer.Result> results, PrintStream out) {
        int applied = results.stream().mapToInt(ManifestFixer.Result::applied).sum();
        long changed = results.stream().filter(ManifestFixer.Result::changed).count();
        List<String> left = new ArrayList<>();
        for (ManifestFixer.Result result : results) {
            for (CheckReport.CheckedObject object : result.report().objects()) {
                for (CheckReport.Located located : object.findings()) {
                    Violation violation = located.finding().violation();
                    String reason = result.unapplied(object, violation);
                    left.add(object.source().at(located.position()) + " " + object.displayName() + " "
                            + violation.describe() + (reason == null ? "" : " (not fixed automatically: " + reason + ")"));
                }
            }
        }
        out.println("fixed " + applied + (applied == 1 ? " problem" : " problems") + " in " + changed + " of "
                + results.size() + (results.size() == 1 ? " file" : " files") + "; " + left.size() + " left for a human"
                + (left.isEmpty() ? "" : ":"));
        left.forEach(out::println);
    }
}

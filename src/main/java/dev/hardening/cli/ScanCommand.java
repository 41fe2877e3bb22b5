package dev.hardening.cli;

import dev.hardening.engine.ImageScans;
import dev.hardening.rules.ScanResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code hardening scan}: scanner reports in, for the cluster. */
@Command(name = "scan", mixinStandardHelpOptions = true, subcommands = ScanCommand.Import.class,
        description = "Scanner reports for the rules image-vulnerabilities and image-scanned (docs/scanning.md).")
final class ScanCommand implements Runnable {

    @ParentCommand
    HardeningCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: import");
    }

    /** {@code hardening scan import REPORT...}: one ImageScan manifest per digest, for kubectl apply. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Turns Trivy (trivy image -f json, SchemaVersion 2) and Grype (grype -o json) reports into "
                    + "ImageScan manifests on standard output, one per manifest digest, for kubectl apply -f -. A report "
                    + "without a manifest digest is refused: scan by digest from the registry.",
                    "Example:",
                    "  trivy image --image-src remote -f json -o report.json registry.example.com/app@sha256:<digest>",
                    "  hardening scan import report.json | kubectl apply -f -"},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every report imported", "2:a report cannot be read or names no manifest digest (nothing written)"})
    static final class Import implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Yaml YAML = yaml();

        @ParentCommand
        ScanCommand scan;

        @Parameters(paramLabel = "REPORT", arity = "1..*", description = "Trivy or Grype JSON reports.")
        List<Path> reports = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> errors = new ArrayList<>();
            // one scan per digest: of two reports of the same digest, the later scan wins, as kubectl apply would
            Map<String, ScanResult> byDigest = new LinkedHashMap<>();
            for (Path report : reports) {
                try {
                    for (ScanResult result : ScanReports.read(report)) {
                        byDigest.merge(result.digest(), result, (a, b) -> b.scannedAt().isBefore(a.scannedAt()) ? a : b);
                    }
                } catch (InputException e) {
                    errors.addAll(e.lines());
                }
            }
            HardeningCli cli = scan.cli;
            if (!errors.isEmpty()) {
                errors.forEach(line -> cli.err.println("error: " + line));
                return HardeningCli.EXIT_ERROR;
            }
            for (ScanResult result : byDigest.values()) {
                cli.out.print("---\n" + YAML.dump(JSON.convertValue(ImageScans.fromResult(result), Map.class)));
            }
            cli.out.flush();
            return 0;
        }

        /** Block style, as kubectl get -o yaml writes it; long strings stay on one line. */
        private static Yaml yaml() {
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            options.setWidth(Integer.MAX_VALUE);
            options.setSplitLines(false);
            return new Yaml(options);
        }
    }
}

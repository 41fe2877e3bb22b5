package dev.hardening.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Real scan reports of two real images: {@code hack/scan-fixtures.sh} builds them (alpine 3.9.4 with musl 1.1.20-r4,
 * CRITICAL through CVE-2019-14697, and with 1.1.20-r5, fixed), pushes them to the loopback registry and scans them by
 * digest with Trivy against a database built from Trivy's own fixtures. On a fresh machine the script first builds
 * trivy from the Go module proxy into the tools cache, which takes long once (docs/development.md).
 *
 * @param vulnerable {@code <registry>/scan/musl@sha256:...} of the vulnerable image; {@code fixed} likewise
 * @param noDigestReport the vulnerable image scanned from an archive: a real report without a manifest digest
 */
public record ScanFixtures(Path vulnerableReport, Path fixedReport, Path noDigestReport, String vulnerable, String fixed) {

    /** Runs the script against {@code registryHost}; its reports go to {@code dir}, its log next to it. */
    public static ScanFixtures create(String registryHost, Path dir) throws IOException, InterruptedException {
        Path log = dir.resolveSibling(dir.getFileName() + ".log");
        Process process = new ProcessBuilder("hack/scan-fixtures.sh", registryHost, dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (process.waitFor() != 0) {
            throw new AssertionError("hack/scan-fixtures.sh failed:\n" + Files.readString(log));
        }
        Map<String, String> digests = Files.readAllLines(dir.resolve("digests.env"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
        return new ScanFixtures(dir.resolve("vulnerable.json"), dir.resolve("fixed.json"), dir.resolve("nodigest.json"),
                digests.get("VULNERABLE"), digests.get("FIXED"));
    }
}

package dev.hardening.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the checkout: the tests run with the project directory as working directory (Maven, IDEs). */
final class Project {

    private Project() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the project: no pom.xml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /**
     * A fresh directory under target/e2e/ for logs and files a failed run should leave behind; under
     * target/e2e-&lt;version&gt;/ in a run against another Kubernetes version, so neither run wipes the other's.
     */
    static Path workDir(String name) {
        try {
            Path dir = root().resolve("target").resolve(K8sTools.requestedVersion().map(v -> "e2e-" + v).orElse("e2e"))
                    .resolve(name);
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

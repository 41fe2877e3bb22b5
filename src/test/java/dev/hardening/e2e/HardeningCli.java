package dev.hardening.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged CLI launcher ({@code ./mvnw package} builds it), run as a pipeline step runs it. */
final class HardeningCli {

    static final Path LAUNCHER = Project.root().resolve("target/cli/hardening");

    private HardeningCli() {
    }

    static Kubectl.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return Kubectl.exec(command, null, Map.of("JAVA_HOME", System.getProperty("java.home")));
    }
}

package dev.hardening.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code hardening}: the operator's rule engine offline, for CI pipelines and kubectl ({@code kubectl hardening ...}
 * via the kubectl-hardening launcher). Plain Java: no Quarkus, no cluster; no network but {@code pin}'s registry
 * requests. See docs/cli.md.
 */
@Command(name = "hardening", mixinStandardHelpOptions = true, versionProvider = HardeningCli.Version.class,
        description = "Checks Kubernetes manifests against the hardening rules, offline, with the engine the "
                + "hardening-operator's admission webhook runs.",
        subcommands = {CheckCommand.class, FixCommand.class, PinCommand.class, RulesCommand.class, ExplainCommand.class,
                ScanCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:nothing is denied", "1:an Enforce violation (with --fail-on warn, a Warn one too)",
                "2:usage, parse or policy error (one line each, naming file and line)"})
public final class HardeningCli implements Runnable {

    static final int EXIT_ERROR = 2;

    final InputStream in;
    final PrintStream out;
    final PrintStream err;

    HardeningCli(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // fabric8's CustomResource logs through SLF4J; the CLI has nothing to log, and no provider warning either
        System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, System.in, out, err);
        out.flush();
        System.exit(code);
    }

    /** Runs one command line; returns its exit code. Nothing reaches {@code err} but one-line messages. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new HardeningCli(in, out, err));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, commandArgs) -> {
            err.println("error: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_ERROR;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            err.println(internalError(e));
            return EXIT_ERROR;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println(OUT_OF_MEMORY);
            code = EXIT_ERROR;
        } catch (LinkageError | VirtualMachineError e) {
            // a broken installation (a class missing from the jar): one line, never a stack trace
            err.println(internalError(e));
            code = EXIT_ERROR;
        }
        out.flush();
        return code;
    }

    /** Documents stream through a fixed heap; what grows is the report, which keeps every finding until printed. */
    static final String OUT_OF_MEMORY = "error: out of memory: the report of this many objects does not fit the Java "
            + "heap; give it more (HARDENING_JAVA_OPTS=-Xmx2g, or java -Xmx2g -jar hardening-cli.jar) or check fewer "
            + "files per run";

    /** A bug, not bad input: say so, and what to send (never the input, which may hold a secret). */
    static String internalError(Throwable e) {
        return "error: internal error (" + e.getClass().getSimpleName() + ") in hardening " + version()
                + ": this is a bug; please report it with the command line and this line, not the input files";
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command: check, fix, pin, rules, explain or scan");
    }

    /** The version the jar was built as; {@code dev} when run from classes. */
    static String version() {
        String version = HardeningCli.class.getPackage().getImplementationVersion();
        return version == null ? "0.0.0-dev" : version;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"hardening " + version()};
        }
    }
}

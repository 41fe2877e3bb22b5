package dev.hardening.cli;

import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import dev.hardening.rules.RuleReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hardening explain RULE}: the rule's docs/rules.md entry, rendered by the same generator. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Prints a rule's entry of the rule reference (docs/rules.md): what it checks, why, a failing "
                + "and a passing example, and the fix.")
final class ExplainCommand implements Runnable {

    @ParentCommand
    HardeningCli cli;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RULE", description = "A rule id, as listed by 'hardening rules'.")
    String ruleId;

    @Override
    public void run() {
        Rule rule = RuleCatalogue.byId(ruleId).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "unknown rule \"" + ruleId + "\"; 'hardening rules' lists them"));
        cli.out.print(RuleReference.entry(rule));
    }
}

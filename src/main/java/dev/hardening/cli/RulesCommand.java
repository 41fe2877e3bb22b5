package dev.hardening.cli;

import dev.hardening.rules.Profile;
import dev.hardening.rules.Rule;
import dev.hardening.rules.RuleCatalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.stream.Collectors;

/** {@code hardening rules}: the catalogue, one line per rule. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Lists every rule: its id, the profiles that contain it (opt-in: none) and its title.")
final class RulesCommand implements Runnable {

    @ParentCommand
    HardeningCli cli;

    @Override
    public void run() {
        List<Rule> rules = RuleCatalogue.all();
        int idWidth = rules.stream().mapToInt(r -> r.id().length()).max().orElse(0);
        List<String> profiles = rules.stream().map(RulesCommand::profiles).toList();
        int profileWidth = profiles.stream().mapToInt(String::length).max().orElse(0);
        cli.out.println(pad("RULE", idWidth) + "  " + pad("PROFILES", profileWidth) + "  TITLE");
        for (int i = 0; i < rules.size(); i++) {
            cli.out.println(pad(rules.get(i).id(), idWidth) + "  " + pad(profiles.get(i), profileWidth) + "  "
                    + rules.get(i).title());
        }
    }

    /** {@code Baseline,Restricted,Hardened}, or {@code opt-in}. */
    static String profiles(Rule rule) {
        List<Profile> profiles = RuleCatalogue.profilesOf(rule);
        return profiles.isEmpty() ? "opt-in" : profiles.stream().map(Profile::displayName).collect(Collectors.joining(","));
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}

package dev.hardening.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Nothing else lists the rules" (CONTRIBUTING.md): outside the files generated from the rule classes, no file of the
 * project names {@value #RUN} or more rule ids one right after the other (a list, a map, an enumeration in prose):
 * between two of them at most {@value #GAP} characters with at most {@value #WORDS} words (a map's value). Such a list
 * goes stale when a rule is added; derive it from {@link RuleCatalogue} or a generated file instead. Naming a rule or
 * two, or expected output lines that each name a rule, as tests and docs do, is fine.
 */
class NoSecondRuleListTest {

    static final int RUN = 4;
    /** Ids at most this many characters apart belong to one list: quotes, commas, a map value, a line break. */
    static final int GAP = 40;
    static final int WORDS = 2;
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern IDS = Pattern.compile("(?<![A-Za-z0-9-])(" + RuleCatalogue.ids().stream()
            .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote)
            .collect(Collectors.joining("|")) + ")(?![A-Za-z0-9-])");

    /** Written by hack/regenerate.sh from the rule classes, or one rule's own fixtures. */
    private static final List<String> GENERATED = List.of("docs/rules.md", "crds/", "charts/hardening-operator/files/crds/",
            "manifests/", "src/main/resources/" + RuleCatalogue.REGISTRY, PodSecurityChecksTest.COMMITTED.toString(),
            "src/test/resources/rules/");

    @Test
    void noFileButTheGeneratedOnesListsTheRules() throws IOException {
        List<String> lists = new ArrayList<>();
        for (Path file : projectFiles()) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (MalformedInputException binary) {
                continue;
            }
            Set<String> run = longestRun(text);
            if (run.size() >= RUN) {
                lists.add(file + ": " + run);
            }
        }
        assertThat(lists).as("files that list rule ids; derive the list from the rule classes instead").isEmpty();
    }

    /** What the check finds: a list in code or prose, not output lines that each name one rule. */
    @Test
    void findsAListButNotLinesThatEachNameARule() {
        List<String> some = RuleCatalogue.all().stream().map(Rule::id).limit(RUN).toList();
        String map = some.stream().map(id -> "\"" + id + "\": {\"checkId\"}").collect(Collectors.joining(",\n  "));
        String prose = "adds the rules (`" + String.join("`, `", some) + "`); None starts empty";
        String output = some.stream().map(id -> "\"Pod/job " + id + " failure\",").collect(Collectors.joining("\n    "));

        assertThat(longestRun(map)).containsExactlyElementsOf(some);
        assertThat(longestRun(prose)).containsExactlyElementsOf(some);
        assertThat(longestRun(output)).hasSize(1);
    }

    static Set<String> longestRun(String text) {
        Matcher matcher = IDS.matcher(text);
        Set<String> longest = Set.of();
        Set<String> run = new LinkedHashSet<>();
        int end = -GAP - 1;
        while (matcher.find()) {
            String gap = text.substring(Math.max(end, 0), matcher.start());
            if (gap.length() > GAP || WORD.matcher(gap).results().count() > WORDS) {
                run = new LinkedHashSet<>();
            }
            run.add(matcher.group(1));
            end = matcher.end();
            if (run.size() > longest.size()) {
                longest = run;
            }
        }
        return longest;
    }

    private static List<Path> projectFiles() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize)
                    .filter(f -> !f.toString().isEmpty() && Files.isRegularFile(f))
                    .filter(f -> !hidden(f) && !f.startsWith("target"))
                    .filter(f -> GENERATED.stream().noneMatch(g -> f.toString().replace('\\', '/').startsWith(g)))
                    .sorted().toList();
        }
    }

    private static boolean hidden(Path file) {
        for (Path part : file) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}

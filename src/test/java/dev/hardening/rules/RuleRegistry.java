package dev.hardening.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The registry file {@link RuleCatalogue#REGISTRY} as committed, and as it should be: the committed order, without
 * classes that are gone, plus every concrete public rule class of the compiled production code, each new one after
 * the last entry of its package.
 */
final class RuleRegistry {

    static final Path COMMITTED = Path.of("src/main/resources").resolve(RuleCatalogue.REGISTRY);

    private RuleRegistry() {
    }

    static String render() throws IOException {
        List<String> committed = classNames(Files.readString(COMMITTED, StandardCharsets.UTF_8));
        Set<String> compiled = compiledRuleClasses();
        List<String> entries = new ArrayList<>(committed);
        entries.retainAll(compiled);
        for (String added : compiled) {
            if (entries.contains(added)) {
                continue;
            }
            String pkg = added.substring(0, added.lastIndexOf('.') + 1);
            int at = entries.size();
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).startsWith(pkg) && entries.get(i).lastIndexOf('.') == pkg.length() - 1) {
                    at = i + 1;
                }
            }
            entries.add(at, added);
        }
        StringBuilder out = new StringBuilder();
        Files.readAllLines(COMMITTED, StandardCharsets.UTF_8).stream().takeWhile(l -> l.startsWith("#"))
                .forEach(l -> out.append(l).append('\n'));
        entries.forEach(e -> out.append(e).append('\n'));
        return out.toString();
    }

    static List<String> classNames(String registry) {
        return registry.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** Concrete public classes implementing {@link Rule} in the production classes directory, sorted by name. */
    static Set<String> compiledRuleClasses() {
        Path classes;
        try {
            classes = Path.of(Rule.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Set<String> found = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/hardening/rules"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                if (name.contains("$")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, Rule.class.getClassLoader());
                int modifiers = type.getModifiers();
                if (Rule.class.isAssignableFrom(type) && !type.isInterface() && !Modifier.isAbstract(modifiers)
                        && Modifier.isPublic(modifiers)) {
                    found.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }
}

package dev.hardening.cli;

import dev.hardening.cli.fix.UnfixableException;
import dev.hardening.cli.fix.YamlEditor;
import dev.hardening.cli.fix.YamlNodes;
import dev.hardening.cli.pin.Credentials;
import dev.hardening.cli.pin.ImageName;
import dev.hardening.cli.pin.RegistryClient;
import dev.hardening.rules.Autofix;
import org.yaml.snakeyaml.nodes.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code hardening pin}: resolves every image tag to the digest its registry serves and writes it after the tag, as
 * the minimal edit {@code fix} makes. Resolves everything before it edits anything: one image that fails means one line
 * for it, exit 2 and no file changed.
 */
@Command(name = "pin", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pins container images by digest: asks each image's registry (OCI distribution API) which digest "
                + "its tag points to and rewrites name:tag as name:tag@sha256:..., keeping the tag for readers and "
                + "everything else of the file as it is. A multi-arch image is pinned to its index. With --check, "
                + "reports images that are not pinned or whose tag has moved since they were pinned.",
                "Examples:",
                "  hardening pin deploy/                    # the changes as a unified diff",
                "  hardening pin --write deploy/            # in place",
                "  hardening pin --check deploy/            # for a scheduled CI job",
                "  hardening pin --insecure-registry localhost:5000 -f dev.yaml"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:pinned (with --check: every image pinned and no tag moved)",
                "1:with --check: an image is not pinned or its tag has moved",
                "2:usage or parse error, or an image could not be resolved (one line each; no file changed)"})
final class PinCommand implements Callable<Integer> {

    @ParentCommand
    HardeningCli cli;


    @Mixin
    ManifestEdit manifests;

    @Option(names = "--check", description = "Change nothing: report images not pinned by digest, and pinned ones "
            + "whose tag now points to another digest.")
    boolean check;

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "A registry spoken to over plain HTTP (repeatable), as the container runtimes' option.")
    List<String> insecure = new ArrayList<>();

    @Option(names = "--registry-config", paramLabel = "FILE",
            description = "Docker config with registry credentials (default: $DOCKER_CONFIG/config.json, else "
                    + "~/.docker/config.json): auths, credHelpers and credsStore.")
    Path registryConfig;

    @Override
    public Integer call() {
        List<String> names = manifests.names("pin");
        validateUsage();
        List<String> errors = new ArrayList<>();
        List<Source> sources = manifests.readWhole(names, errors);
        ManifestParser parser = new ManifestParser();
        Map<Source, List<ImageUses.ImageUse>> uses = new LinkedHashMap<>();
        for (Source source : sources) {
            try {
                uses.put(source, ImageUses.of(source, parser));
            } catch (InputException e) {
                errors.add(e.getMessage());
            }
        }
        RegistryClient registry = null;
        try {
            registry = new RegistryClient(Credentials.load(registryConfig, System.getenv("PATH")), Set.copyOf(insecure));
        } catch (IOException e) {
            errors.add(e.getMessage());
        }
        if (!errors.isEmpty()) {
            return fail(errors);
        }
        Map<String, String> digests = resolve(registry, uses, errors);
        if (!errors.isEmpty()) {
            return fail(errors);
        }
        return check ? report(uses, digests) : pin(uses, digests);
    }

    private void validateUsage() {
        if (check && (manifests.write || manifests.diff)) {
            throw manifests.usageError("--check changes nothing: not with --write or --diff");
        }
    }

    /** Whether a use is asked about: unpinned ones to pin them; with --check, pinned ones with a tag too. */
    private boolean asks(ImageName image) {
        return image.digest() == null || (check && image.tagged());
    }

    /** Every tag asked about, once per run: registry/repository:tag → digest. */
    private Map<String, String> resolve(RegistryClient registry, Map<Source, List<ImageUses.ImageUse>> uses,
                                        List<String> errors) {
        Map<String, String> digests = new HashMap<>();
        Map<String, String> failures = new HashMap<>();
        for (List<ImageUses.ImageUse> list : uses.values()) {
            for (ImageUses.ImageUse use : list) {
                if (!asks(use.image())) {
                    continue;
                }
                String key = key(use.image());
                if (!digests.containsKey(key) && !failures.containsKey(key)) {
                    try {
                        digests.put(key, registry.digest(use.image()));
                    } catch (RegistryClient.RegistryException e) {
                        failures.put(key, e.getMessage());
                    }
                }
                if (failures.containsKey(key)) {
                    errors.add(use.at() + ": " + failures.get(key));
                }
            }
        }
        return digests;
    }

    private int pin(Map<Source, List<ImageUses.ImageUse>> uses, Map<String, String> digests) {
        List<String> errors = new ArrayList<>();
        Map<Source, String> results = new LinkedHashMap<>();
        int pinned = 0;
        for (Map.Entry<Source, List<ImageUses.ImageUse>> entry : uses.entrySet()) {
            String text = entry.getKey().text();
            for (ImageUses.ImageUse use : entry.getValue()) {
                if (use.image().digest() != null) {
                    continue;
                }
                String value = use.image().pinned(digests.get(key(use.image())));
                try {
                    text = YamlEditor.apply(text, objectNode(text, use), new Autofix.SetValue(use.path(), value));
                    pinned++;
                } catch (UnfixableException e) {
                    errors.add(use.at() + ": " + use.image().display() + ": cannot be edited: " + e.getMessage());
                }
            }
            results.put(entry.getKey(), text);
        }
        if (!errors.isEmpty()) {
            return fail(errors);
        }
        PrintStream report = manifests.reportStream();
        long changed = 0;
        for (Map.Entry<Source, String> result : results.entrySet()) {
            changed += result.getValue().equals(result.getKey().text()) ? 0 : 1;
            String error = manifests.emit(result.getKey(), result.getValue());
            if (error != null) {
                errors.add(error);
            }
        }
        report.println("pinned " + pinned + (pinned == 1 ? " image" : " images") + " in " + changed + " of "
                + results.size() + (results.size() == 1 ? " file" : " files"));
        return errors.isEmpty() ? 0 : fail(errors);
    }

    /** --check: one line per image that is not pinned or whose tag moved; exit 1 if any. */
    private int report(Map<Source, List<ImageUses.ImageUse>> uses, Map<String, String> digests) {
        int checked = 0;
        int unpinned = 0;
        int moved = 0;
        for (List<ImageUses.ImageUse> list : uses.values()) {
            for (ImageUses.ImageUse use : list) {
                checked++;
                ImageName image = use.image();
                String now = digests.get(key(image));
                if (image.digest() == null) {
                    unpinned++;
                    cli.out.println(use.at() + ": " + image.display() + " is not pinned by digest (its tag is at "
                            + now + ")");
                } else if (now != null && !now.equals(image.digest())) {
                    moved++;
                    cli.out.println(use.at() + ": " + image.display() + ": tag " + image.tag() + " has moved to " + now);
                }
            }
        }
        cli.out.println(checked + (checked == 1 ? " image" : " images") + " checked: " + unpinned + " not pinned, "
                + moved + " moved");
        return unpinned + moved > 0 ? 1 : 0;
    }

    private static Node objectNode(String text, ImageUses.ImageUse use) throws UnfixableException {
        try {
            Node document = YamlNodes.compose(text).get(use.document());
            return YamlNodes.objects(document).get(use.item() + 1);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new UnfixableException("this input cannot be edited as YAML text");
        }
    }

    private static String key(ImageName image) {
        return image.registry() + "/" + image.repository() + ":" + image.tag();
    }

    private int fail(List<String> errors) {
        new LinkedHashSet<>(errors).forEach(line -> cli.err.println("error: " + line));
        return HardeningCli.EXIT_ERROR;
    }
}

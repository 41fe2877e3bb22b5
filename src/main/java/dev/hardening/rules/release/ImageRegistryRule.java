package dev.hardening.rules.release;

import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.ImageReference;
import dev.hardening.rules.ImageReference.ParsedImage;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;

import java.util.List;
import java.util.Optional;

/**
 * {@code image-registry}: images come from the policy's allowed registry prefixes; opt-in.
 * Prefixes end with {@code /} (the CRD enforces it), so a plain prefix match cannot let
 * {@code registry.example.com.evil.io} pass for {@code registry.example.com/}.
 */
public final class ImageRegistryRule extends ImageRule {

    public ImageRegistryRule() {
        super(new RuleInfo("image-registry", Profile.None, "Images from allowed registries",
                "Every container image starts with one of the prefixes in the policy's registries setting, "
                        + "as written or in its fully qualified form (nginx is docker.io/library/nginx). "
                        + "With no registries listed every image is reported. Malformed references are reported.",
                "Release checklist, image scanning: only images from registries that scan them reach production.",
                "Push the image to an allowed registry and reference it there, or add its registry to the policy's "
                        + "registries setting.",
                new RuleExample("""
                        spec:
                          containers:
                          - name: app
                            image: docker.io/library/nginx:1.25
                        """, """
                        spec:
                          containers:
                          - name: app
                            image: registry.example.com/nginx:1.25
                        """)));
    }

    @Override
    Optional<Violation> check(ContainerRef container, ParsedImage image, RuleSettings settings) {
        List<String> registries = settings.registries();
        String quoted = ImageReference.quoted(image.original());
        if (registries.isEmpty()) {
            return imageViolation(container,
                    "image " + quoted + " is not from an allowed registry: the policy lists no registries",
                    Fixes.add("the registry of " + container.field("image"), "the policy's registries setting"));
        }
        String canonical = image.canonicalName();
        for (String prefix : registries) {
            if (image.original().startsWith(prefix) || canonical.startsWith(prefix)) {
                return Optional.empty();
            }
        }
        return imageViolation(container, "image " + quoted + " is not from an allowed registry",
                Fixes.set(container.field("image"), "an image under " + String.join(", ", registries)
                        + " (the policy's registries setting)"));
    }
}

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

import java.util.Optional;

/** {@code image-tag}: an explicit version tag (not {@code latest}) or a digest; opt-in. */
public final class ImageTagRule extends ImageRule {

    public ImageTagRule() {
        super(new RuleInfo("image-tag", Profile.None, "Explicit image tags",
                "Every container image names a tag other than latest (compared case-insensitively), or a digest. "
                        + "An image without a tag means latest. Malformed references are reported.",
                "Release checklist, image pinning: latest and missing tags change under you from one pull to the next.",
                "Name the exact version you tested, e.g. mongo:7.0.3, or pin the image by digest.",
                new RuleExample("""
                        spec:
                          containers:
                          - name: db
                            image: mongo:latest
                        """, """
                        spec:
                          containers:
                          - name: db
                            image: mongo:7.0.3
                        """)));
    }

    @Override
    Optional<Violation> check(ContainerRef container, ParsedImage image, RuleSettings settings) {
        if (image.pinned()) {
            return Optional.empty();
        }
        String fix = Fixes.set(container.field("image"), image.name() + ":<version> or pin it by digest");
        if (image.tag() == null) {
            return imageViolation(container, "image " + ImageReference.quoted(image.original()) + " has no tag", fix);
        }
        if (image.tag().equalsIgnoreCase("latest")) {
            return imageViolation(container,
                    "image " + ImageReference.quoted(image.original()) + " uses the mutable tag \"" + image.tag() + "\"", fix);
        }
        return Optional.empty();
    }
}

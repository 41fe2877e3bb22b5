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

/** {@code image-digest}: every image is pinned by digest, so what runs is exactly what was tested. */
public final class ImageDigestRule extends ImageRule {

    public ImageDigestRule() {
        super(new RuleInfo("image-digest", Profile.Hardened, "Images pinned by digest",
                "Every container image, including init and ephemeral containers, names a sha256 or sha512 digest "
                        + "(a tag may precede it; the digest decides what is pulled). Malformed references are reported.",
                "Release checklist, image pinning: a tag can resolve to a different build between two deploys.",
                "Append the digest of the tested build to the image: resolve it with crane digest or "
                        + "docker buildx imagetools inspect and write name:tag@sha256:<digest>.",
                new RuleExample("""
                        spec:
                          containers:
                          - name: app
                            image: nginx:1.25
                        """, """
                        spec:
                          containers:
                          - name: app
                            image: nginx:1.25@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
                        """)));
    }

    @Override
    Optional<Violation> check(ContainerRef container, ParsedImage image, RuleSettings settings) {
        if (image.pinned()) {
            return Optional.empty();
        }
        return imageViolation(container,
                "image " + ImageReference.quoted(image.original()) + " is not pinned by digest",
                Fixes.set(container.field("image"), image.original() + "@sha256:<digest>"));
    }
}

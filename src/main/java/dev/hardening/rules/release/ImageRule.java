package dev.hardening.rules.release;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.ImageReference;
import dev.hardening.rules.ImageReference.InvalidImage;
import dev.hardening.rules.ImageReference.ParsedImage;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Base of the rules about {@code image}: every container, ephemeral ones included, is checked; a reference
 * that does not parse is a violation of each image rule, since any of them may be enabled alone.
 */
abstract class ImageRule extends AbstractRule {

    ImageRule(RuleInfo info) {
        super(info);
    }

    @Override
    public final List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            ImageReference reference = ImageReference.parse(container.image());
            if (reference instanceof InvalidImage invalid) {
                violations.add(violation(container, "image",
                        "image " + ImageReference.quoted(invalid.original()) + " is not a valid reference: " + invalid.reason(),
                        Fixes.set(container.field("image"), "a valid reference, e.g. registry.example.com/app:1.0@sha256:<digest>")));
            } else {
                check(container, (ParsedImage) reference, settings).ifPresent(violations::add);
            }
        }
        return violations;
    }

    /** The violation of a well-formed image, if any. */
    abstract Optional<Violation> check(ContainerRef container, ParsedImage image, RuleSettings settings);

    /** A violation of the container's {@code image} field. */
    final Optional<Violation> imageViolation(ContainerRef container, String message, String fix) {
        return Optional.of(violation(container, "image", message, fix));
    }
}

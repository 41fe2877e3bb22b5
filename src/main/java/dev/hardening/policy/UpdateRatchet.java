package dev.hardening.policy;

import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Violation;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a violation was already present before an UPDATE. Already present means: the same rule for the
 * same container name (or the pod itself) in the old object, and that container's image unchanged — changing an
 * image re-judges its container in full, as upstream Pod Security admission does.
 */
final class UpdateRatchet {

    private final Set<String> oldKeys;
    private final Map<String, String> oldImages;

    private UpdateRatchet(Set<String> oldKeys, Map<String, String> oldImages) {
        this.oldKeys = oldKeys;
        this.oldImages = oldImages;
    }

    /** {@code oldViolations} are those the same policy finds in the old object. */
    static UpdateRatchet of(PodTarget oldTarget, Iterable<Violation> oldViolations) {
        java.util.HashSet<String> keys = new java.util.HashSet<>();
        for (Violation violation : oldViolations) {
            keys.add(key(violation));
        }
        Map<String, String> images = new HashMap<>();
        for (ContainerRef container : oldTarget.containers()) {
            images.put(container.name(), container.image());
        }
        return new UpdateRatchet(keys, images);
    }

    boolean alreadyPresent(Violation violation) {
        if (!oldKeys.contains(key(violation))) {
            return false;
        }
        return violation.podLevel() || (oldImages.containsKey(violation.container())
                && Objects.equals(oldImages.get(violation.container()), violation.image()));
    }

    private static String key(Violation violation) {
        return violation.ruleId() + '\u0000' + (violation.container() == null ? "" : violation.container());
    }
}

package dev.hardening.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.Target;
import dev.hardening.rules.Violation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a violation was already present before an UPDATE. Already present means: the old object had a
 * violation of the same rule about the same thing ({@link ViolationSubject}: the same field, list items matched by
 * name, with the same value there), and, for a container's violation, that container's image is unchanged.
 * A violation at a new field or with a new value is new: a hostPath changed from {@code /var/log/app} to {@code /},
 * a {@code runAsUser: 0} added where runAsNonRoot was merely unset, a second secret literal. Changing an image
 * re-judges its container in full, as upstream Pod Security admission does.
 */
final class UpdateRatchet {

    private final ViolationSubject subject;
    private final Set<ViolationSubject.Digest> oldSubjects;
    private final Map<String, String> oldImages;

    private UpdateRatchet(ViolationSubject subject, Set<ViolationSubject.Digest> oldSubjects, Map<String, String> oldImages) {
        this.subject = subject;
        this.oldSubjects = oldSubjects;
        this.oldImages = oldImages;
    }

    /** {@code oldViolations} are those the same policy finds in the old object. Used by one thread. */
    static UpdateRatchet of(Target oldTarget, Iterable<Violation> oldViolations) {
        ViolationSubject subject = new ViolationSubject();
        Set<ViolationSubject.Digest> subjects = new HashSet<>();
        JsonNode tree = null;
        for (Violation violation : oldViolations) {
            if (tree == null) {
                tree = oldTarget.tree();
            }
            subjects.add(subject.of(violation, tree));
        }
        Map<String, String> images = new HashMap<>();
        for (ContainerRef container : oldTarget.containers()) {
            images.put(container.name(), container.image());
        }
        return new UpdateRatchet(subject, subjects, images);
    }

    /** Whether {@code violation}, found in {@code target} (the object after the UPDATE), was already there. */
    boolean alreadyPresent(Violation violation, Target target) {
        if (oldSubjects.isEmpty()) {
            return false;
        }
        if (!violation.podLevel() && !(oldImages.containsKey(violation.container())
                && Objects.equals(oldImages.get(violation.container()), violation.image()))) {
            return false;
        }
        return oldSubjects.contains(subject.of(violation, target.tree()));
    }
}

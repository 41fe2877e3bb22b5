package dev.hardening.rules.baseline;

import dev.hardening.rules.Fixes;

/**
 * The seccomp and AppArmor profile fields share their vocabulary: RuntimeDefault or Localhost pass, Unconfined and
 * anything else (an empty type included, as upstream treats it) fail. Public for the restricted seccomp rule.
 */
public final class ProfileTypes {

    private ProfileTypes() {
    }

    public static boolean allowed(String type) {
        return "RuntimeDefault".equals(type) || "Localhost".equals(type);
    }

    /** {@code mechanism} is "seccomp" or "AppArmor"; {@code field} the relative field, e.g. {@code seccompProfile.type}. */
    static String problem(String mechanism, String field, String type) {
        return "Unconfined".equals(type) ? "disables " + mechanism + " (" + field + " is Unconfined)" : notAllowed(field, type);
    }

    /** The problem with any type but RuntimeDefault or Localhost, Unconfined included. */
    public static String notAllowed(String field, String type) {
        return "sets " + field + " \"" + (type == null ? "" : type) + "\"; only RuntimeDefault or Localhost are allowed";
    }

    public static String fix(String path) {
        return Fixes.setOr(path, "RuntimeDefault", "Localhost with a localhostProfile");
    }
}

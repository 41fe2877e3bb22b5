package dev.hardening.rules;

/**
 * The wording of fix texts, the same in every rule: "set &lt;path&gt; to &lt;value&gt;", "remove &lt;path&gt;",
 * "add &lt;what&gt; to &lt;path&gt;", "replace &lt;path&gt; with &lt;what&gt;".
 */
public final class Fixes {

    private Fixes() {
    }

    /** {@code set <path>}, for a fix that goes on in its own words. */
    public static String set(String path) {
        return "set " + path;
    }

    public static String set(String path, String value) {
        return set(path) + " to " + value;
    }

    /** For an optional field whose default is fine. */
    public static String setOrRemove(String path, String value) {
        return set(path, value) + " (or remove it)";
    }

    /** With the alternative that fixes it too, e.g. the pod-level field that covers every container. */
    public static String setOr(String path, String value, String alternative) {
        return set(path, value) + " (or " + alternative + ")";
    }

    public static String remove(String path) {
        return "remove " + path;
    }

    /** For a missing list entry or field: {@code what} goes into the list or object at {@code path}. */
    public static String add(String what, String path) {
        return "add " + what + " to " + path;
    }

    /** For a value that no setting makes right: {@code path} as a whole gives way to {@code replacement}. */
    public static String replace(String path, String replacement) {
        return "replace " + path + " with " + replacement;
    }
}

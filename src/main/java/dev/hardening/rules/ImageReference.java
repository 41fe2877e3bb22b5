package dev.hardening.rules;

import java.util.Locale;

/**
 * A container image reference, parsed strictly after the distribution/reference grammar
 * ({@code [domain/]path[:tag][@digest]}), with digests limited to what registries actually serve:
 * {@code sha256:} + 64 or {@code sha512:} + 128 lowercase hex characters.
 * <p>
 * {@link #parse(String)} never throws: malformed input yields an {@link InvalidImage} that says why,
 * so that rules can report it as a violation.
 */
public sealed interface ImageReference permits ImageReference.ParsedImage, ImageReference.InvalidImage {

    /** Docker Hub, where a reference without a registry is pulled from. */
    String DEFAULT_REGISTRY = "docker.io";

    /** The reference exactly as written in the manifest (may be null). */
    String original();

    /**
     * A well-formed reference.
     *
     * @param registry   the registry as written ({@code localhost:5000}), or null when the reference names none
     * @param repository the repository path as written, e.g. {@code library/nginx} or {@code nginx}
     * @param tag        the tag, or null
     * @param digest     the digest ({@code sha256:...}), or null; when present it decides what is pulled
     */
    record ParsedImage(String original, String registry, String repository, String tag, String digest)
            implements ImageReference {

        /** Pinned: the digest wins over any tag, the registry serves exactly this content. */
        public boolean pinned() {
            return digest != null;
        }

        /** Registry and repository as written, without tag or digest: {@code localhost:5000/app}. */
        public String name() {
            return registry == null ? repository : registry + "/" + repository;
        }

        /**
         * The fully qualified name the kubelet pulls: {@code nginx} is {@code docker.io/library/nginx}
         * and the legacy {@code index.docker.io} is {@code docker.io}.
         */
        public String canonicalName() {
            if (registry == null || registry.equals(DEFAULT_REGISTRY) || registry.equals("index.docker.io")) {
                String path = repository.indexOf('/') < 0 ? "library/" + repository : repository;
                return DEFAULT_REGISTRY + "/" + path;
            }
            return name();
        }
    }

    /**
     * A reference that cannot be pulled.
     *
     * @param reason what is wrong, terse, e.g. {@code sha256 digest must be lowercase hex}
     */
    record InvalidImage(String original, String reason) implements ImageReference {
    }

    /** Parses {@code reference}; null, empty or malformed input gives an {@link InvalidImage}. */
    static ImageReference parse(String reference) {
        return ImageReferenceGrammar.parse(reference);
    }

    /**
     * The reference quoted for a one-line message: characters outside printable ASCII are escaped
     * ({@code \u00e9}, {@code \n}) so that a hostile image cannot break the line, and very long ones are cut.
     */
    static String quoted(String reference) {
        if (reference == null) {
            return "\"\"";
        }
        StringBuilder out = new StringBuilder(reference.length() + 2).append('"');
        int limit = Math.min(reference.length(), ImageReferenceGrammar.QUOTE_MAX);
        for (int i = 0; i < limit; i++) {
            char c = reference.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        if (reference.length() > limit) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}

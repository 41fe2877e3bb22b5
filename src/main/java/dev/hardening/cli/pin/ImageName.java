package dev.hardening.cli.pin;

import dev.hardening.rules.ImageReference;

/**
 * An image reference as the registry API needs it, normalised as container runtimes do: {@code nginx:1.25} is
 * repository {@code library/nginx} of {@code docker.io}, whose API host is {@code registry-1.docker.io}; no tag means
 * {@code latest}.
 *
 * @param original   the reference as written
 * @param registry   {@code docker.io}, {@code localhost:5000}, {@code ghcr.io}
 * @param repository {@code library/nginx}
 * @param tag        the tag, {@code latest} when none is written
 * @param digest     the digest written after {@code @}, or null
 */
public record ImageName(String original, String registry, String repository, String tag, String digest) {

    /** The reference parsed, or null when it is malformed (image-digest reports it; nothing to pin). */
    public static ImageName of(String reference) {
        if (!(ImageReference.parse(reference) instanceof ImageReference.ParsedImage image)) {
            return null;
        }
        String canonical = image.canonicalName();
        int slash = canonical.indexOf('/');
        return new ImageName(reference, canonical.substring(0, slash), canonical.substring(slash + 1),
                image.tag() == null ? "latest" : image.tag(), image.digest());
    }

    /** Whether the reference names a tag ({@code latest} is only assumed otherwise). */
    public boolean tagged() {
        return ImageReference.parse(original) instanceof ImageReference.ParsedImage image && image.tag() != null;
    }

    /** Where the API is: Docker Hub's is not at docker.io itself. */
    public String apiHost() {
        return registry.equals(ImageReference.DEFAULT_REGISTRY) ? "registry-1.docker.io" : registry;
    }

    /** The reference with {@code digest} appended (keeping the tag for readers), or replacing the one it had. */
    public String pinned(String newDigest) {
        int at = original.indexOf('@');
        return (at < 0 ? original : original.substring(0, at)) + "@" + newDigest;
    }

    /** For messages: the reference as written, quoted safely. */
    public String display() {
        return ImageReference.quoted(original);
    }
}

package dev.hardening.rules;

import dev.hardening.rules.ImageReference.InvalidImage;
import dev.hardening.rules.ImageReference.ParsedImage;

import java.util.Locale;
import java.util.regex.Pattern;

/** The distribution/reference grammar behind {@link ImageReference#parse(String)}. */
final class ImageReferenceGrammar {

    static final int NAME_MAX = 255;
    static final int QUOTE_MAX = 300;

    // distribution/reference: path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | "__" | "-"+
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    // domain := host [":" port]; host := domain-name | "[" IPv6 "]"
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]*");
    private static final Pattern ANY_HEX = Pattern.compile("[0-9a-fA-F]*");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private ImageReferenceGrammar() {
    }

    static ImageReference parse(String reference) {
        if (reference == null || reference.isEmpty()) {
            return new InvalidImage(reference, "reference is empty");
        }
        for (int i = 0; i < reference.length(); i++) {
            char c = reference.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return new InvalidImage(reference, "reference contains whitespace");
            }
            if (c > 0x7e) {
                return new InvalidImage(reference, "reference contains a non-ASCII character");
            }
            if (c < 0x20) {
                return new InvalidImage(reference, "reference contains a control character");
            }
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            String problem = digestProblem(digest);
            if (problem != null) {
                return new InvalidImage(reference, problem);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (tag.isEmpty()) {
                return new InvalidImage(reference, "tag is empty");
            }
            if (!TAG.matcher(tag).matches()) {
                return new InvalidImage(reference, "tag " + ImageReference.quoted(tag)
                        + " must be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
            }
        }
        return parseName(reference, rest, tag, digest);
    }

    private static ImageReference parseName(String reference, String name, String tag, String digest) {
        if (name.isEmpty()) {
            return new InvalidImage(reference, "repository name is empty");
        }
        if (name.length() > NAME_MAX) {
            return new InvalidImage(reference, "repository name is longer than " + NAME_MAX + " characters");
        }
        if (HEX64.matcher(name).matches()) {
            // docker refuses these: they are indistinguishable from image ids
            return new InvalidImage(reference, "repository name cannot be a 64-character hex string");
        }
        String registry = null;
        String path = name;
        int slash = name.indexOf('/');
        if (slash >= 0 && looksLikeRegistry(name.substring(0, slash))) {
            registry = name.substring(0, slash);
            path = name.substring(slash + 1);
            if (!DOMAIN.matcher(registry).matches()) {
                return new InvalidImage(reference, "registry " + ImageReference.quoted(registry) + " is not a valid host[:port]");
            }
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty()) {
                return new InvalidImage(reference, "repository path has an empty component");
            }
            if (!component.toLowerCase(Locale.ROOT).equals(component)) {
                return new InvalidImage(reference, "repository name must be lowercase");
            }
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return new InvalidImage(reference, "repository path component " + ImageReference.quoted(component)
                        + " must be lowercase letters and digits separated by '.', '_', '__' or '-'");
            }
        }
        return new ParsedImage(reference, registry, path, tag, digest);
    }

    /** As in distribution/reference normalize.go: the first component is a registry when it has '.' or ':', is localhost, or has uppercase. */
    private static boolean looksLikeRegistry(String first) {
        return first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost")
                || !first.toLowerCase(Locale.ROOT).equals(first);
    }

    private static String digestProblem(String digest) {
        int colon = digest.indexOf(':');
        if (digest.isEmpty() || colon < 0) {
            return "digest must be sha256:<64 hex> or sha512:<128 hex>";
        }
        String algorithm = digest.substring(0, colon);
        String hex = digest.substring(colon + 1);
        int expected;
        if (algorithm.equals("sha256")) {
            expected = 64;
        } else if (algorithm.equals("sha512")) {
            expected = 128;
        } else {
            return "digest algorithm must be sha256 or sha512";
        }
        if (!LOWER_HEX.matcher(hex).matches()) {
            return ANY_HEX.matcher(hex).matches()
                    ? algorithm + " digest must be lowercase hex"
                    : algorithm + " digest must be hex characters only";
        }
        if (hex.length() != expected) {
            return algorithm + " digest must be " + expected + " hex characters, not " + hex.length();
        }
        return null;
    }
}

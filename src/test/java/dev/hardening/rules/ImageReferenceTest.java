package dev.hardening.rules;

import dev.hardening.rules.ImageReference.InvalidImage;
import dev.hardening.rules.ImageReference.ParsedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ImageReferenceTest {

    private static final String SHA256 = "0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31";
    private static final String SHA512 = SHA256 + SHA256;

    /** scenario, reference, registry, repository, tag, digest. */
    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("bare name", "nginx", null, "nginx", null, null),
                arguments("name and tag", "nginx:1.25", null, "nginx", "1.25", null),
                arguments("hub namespace", "library/nginx:latest", null, "library/nginx", "latest", null),
                arguments("explicit hub", "docker.io/library/nginx:1.25", "docker.io", "library/nginx", "1.25", null),
                arguments("registry with port and tag", "localhost:5000/app:1.0", "localhost:5000", "app", "1.0", null),
                arguments("registry with port, no tag", "localhost:5000/app", "localhost:5000", "app", null, null),
                arguments("localhost without port", "localhost/app", "localhost", "app", null, null),
                arguments("localhost:5000 alone is repository localhost tag 5000", "localhost:5000", null, "localhost", "5000", null),
                arguments("IPv4 registry", "192.168.1.10:5000/team/app:2", "192.168.1.10:5000", "team/app", "2", null),
                arguments("IPv6 registry", "[::1]:5000/app:1.0", "[::1]:5000", "app", "1.0", null),
                arguments("uppercase first component is a registry, as docker reads it", "Acme/app", "Acme", "app", null, null),
                arguments("uppercase registry host", "Registry.Example.com/app:1", "Registry.Example.com", "app", "1", null),
                arguments("deep path", "ghcr.io/a/b/c/d:v1", "ghcr.io", "a/b/c/d", "v1", null),
                arguments("path separators", "team/my-app__x.y_z--w:1", null, "team/my-app__x.y_z--w", "1", null),
                arguments("tag characters", "app:_V1.2-rc.3_b", null, "app", "_V1.2-rc.3_b", null),
                arguments("128-character tag", "app:" + "a".repeat(128), null, "app", "a".repeat(128), null),
                arguments("sha256 digest", "ghcr.io/acme/app@sha256:" + SHA256, "ghcr.io", "acme/app", null, "sha256:" + SHA256),
                arguments("tag and digest", "nginx:1.25@sha256:" + SHA256, null, "nginx", "1.25", "sha256:" + SHA256),
                arguments("sha512 digest", "nginx@sha512:" + SHA512, null, "nginx", null, "sha512:" + SHA512),
                arguments("port registry, tag and digest", "localhost:5000/app:1.0@sha256:" + SHA256,
                        "localhost:5000", "app", "1.0", "sha256:" + SHA256));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("valid")
    void parsesValidReferences(String scenario, String reference, String registry, String repository, String tag, String digest) {
        ImageReference parsed = ImageReference.parse(reference);

        assertThat(parsed).isEqualTo(new ParsedImage(reference, registry, repository, tag, digest));
        assertThat(((ParsedImage) parsed).pinned()).isEqualTo(digest != null);
    }

    /** scenario, reference, reason. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments("null", null, "reference is empty"),
                arguments("empty", "", "reference is empty"),
                arguments("leading space", " nginx", "reference contains whitespace"),
                arguments("space before tag", "nginx :1.25", "reference contains whitespace"),
                arguments("trailing tab", "nginx:1.25\t", "reference contains whitespace"),
                arguments("trailing newline", "nginx:1.25\n", "reference contains whitespace"),
                arguments("no-break space", "nginx\u00a0", "reference contains whitespace"),
                arguments("control character", "nginx\u0007", "reference contains a control character"),
                arguments("non-ASCII letter", "ngïnx:1.25", "reference contains a non-ASCII character"),
                arguments("non-ASCII tag", "nginx:1.25é", "reference contains a non-ASCII character"),
                arguments("zero-width space", "nginx\u200b:1", "reference contains a non-ASCII character"),
                arguments("uppercase name", "Nginx", "repository name must be lowercase"),
                arguments("uppercase path under registry", "registry.example.com/Team/app:1", "repository name must be lowercase"),
                arguments("short sha256", "nginx@sha256:" + SHA256.substring(1), "sha256 digest must be 64 hex characters, not 63"),
                arguments("long sha256", "nginx@sha256:" + SHA256 + "0", "sha256 digest must be 64 hex characters, not 65"),
                arguments("very short sha256", "nginx:1.25@sha256:abc", "sha256 digest must be 64 hex characters, not 3"),
                arguments("uppercase hex", "nginx@sha256:" + SHA256.toUpperCase(), "sha256 digest must be lowercase hex"),
                arguments("sha512 of sha256 length", "nginx@sha512:" + SHA256, "sha512 digest must be 128 hex characters, not 64"),
                arguments("non-hex digest", "nginx@sha256:" + "g".repeat(64), "sha256 digest must be hex characters only"),
                arguments("unknown algorithm", "nginx@md5:d41d8cd98f00b204e9800998ecf8427e", "digest algorithm must be sha256 or sha512"),
                arguments("uppercase algorithm", "nginx@SHA256:" + SHA256, "digest algorithm must be sha256 or sha512"),
                arguments("empty digest", "nginx@", "digest must be sha256:<64 hex> or sha512:<128 hex>"),
                arguments("digest without algorithm", "nginx@" + SHA256, "digest must be sha256:<64 hex> or sha512:<128 hex>"),
                arguments("two digests", "nginx@sha256:" + SHA256 + "@sha256:" + SHA256, "sha256 digest must be hex characters only"),
                arguments("empty tag", "nginx:", "tag is empty"),
                arguments("tag starting with dot", "nginx:.1",
                        "tag \".1\" must be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'"),
                arguments("tag starting with dash", "nginx:-1",
                        "tag \"-1\" must be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'"),
                arguments("129-character tag", "app:" + "a".repeat(129),
                        "tag \"" + "a".repeat(129) + "\" must be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'"),
                arguments("tag with plus", "app:1+2",
                        "tag \"1+2\" must be up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'"),
                arguments("two tags", "nginx:1.25:2", "repository path component \"nginx:1.25\" must be lowercase letters "
                        + "and digits separated by '.', '_', '__' or '-'"),
                arguments("only a tag", ":1.0", "repository name is empty"),
                arguments("only a digest", "@sha256:" + SHA256, "repository name is empty"),
                arguments("leading slash", "/nginx", "repository path has an empty component"),
                arguments("trailing slash", "library/", "repository path has an empty component"),
                arguments("double slash", "library//nginx", "repository path has an empty component"),
                arguments("registry only", "registry.example.com/", "repository path has an empty component"),
                arguments("leading dash", "-nginx", "repository path component \"-nginx\" must be lowercase letters "
                        + "and digits separated by '.', '_', '__' or '-'"),
                arguments("trailing separator", "team/app_", "repository path component \"app_\" must be lowercase letters "
                        + "and digits separated by '.', '_', '__' or '-'"),
                arguments("triple underscore", "team/a___b", "repository path component \"a___b\" must be lowercase letters "
                        + "and digits separated by '.', '_', '__' or '-'"),
                arguments("underscore in registry", "registry_x.example.com/app", "registry \"registry_x.example.com\" is not a valid host[:port]"),
                arguments("non-numeric port", "localhost:http/app", "registry \"localhost:http\" is not a valid host[:port]"),
                arguments("registry ending in dash", "registry-.example.com/app", "registry \"registry-.example.com\" is not a valid host[:port]"),
                arguments("64-hex name", SHA256, "repository name cannot be a 64-character hex string"),
                arguments("name over 255 characters", "a/" + "b".repeat(254), "repository name is longer than 255 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidReferencesWithAReason(String scenario, String reference, String reason) {
        assertThat(ImageReference.parse(reference)).isEqualTo(new InvalidImage(reference, reason));
    }

    @Test
    void canonicalNameAddsDockerHubDefaults() {
        assertThat(parsed("nginx:1.25").canonicalName()).isEqualTo("docker.io/library/nginx");
        assertThat(parsed("bitnami/redis").canonicalName()).isEqualTo("docker.io/bitnami/redis");
        assertThat(parsed("index.docker.io/nginx").canonicalName()).isEqualTo("docker.io/library/nginx");
        assertThat(parsed("docker.io/library/nginx").canonicalName()).isEqualTo("docker.io/library/nginx");
        assertThat(parsed("localhost:5000/app:1.0").canonicalName()).isEqualTo("localhost:5000/app");
        assertThat(parsed("ghcr.io/acme/app@sha256:" + SHA256).name()).isEqualTo("ghcr.io/acme/app");
    }

    @Test
    void quotedEscapesWhatCouldBreakAMessageLine() {
        assertThat(ImageReference.quoted("nginx:1.25")).isEqualTo("\"nginx:1.25\"");
        assertThat(ImageReference.quoted("a\nb\"c\\é")).isEqualTo("\"a\\u000ab\\u0022c\\u005c\\u00e9\"");
        assertThat(ImageReference.quoted(null)).isEqualTo("\"\"");
        assertThat(ImageReference.quoted("x".repeat(400))).isEqualTo("\"" + "x".repeat(300) + "...\"");
    }

    private static ParsedImage parsed(String reference) {
        return (ParsedImage) ImageReference.parse(reference);
    }
}

package dev.hardening.rules;

import dev.hardening.rules.ImageReference.InvalidImage;
import dev.hardening.rules.ImageReference.ParsedImage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the image-reference parser over generated input (runs in the surefire property-tests execution). */
class ImageReferencePropertyTest {

    @Property(tries = 2000)
    void neverThrowsAndKeepsTheOriginal(@ForAll String anything) {
        ImageReference parsed = ImageReference.parse(anything);

        assertThat(parsed.original()).isEqualTo(anything);
        if (parsed instanceof InvalidImage invalid) {
            assertThat(invalid.reason()).isNotBlank().doesNotContain("\n");
        }
    }

    @Property(tries = 1000)
    void grammarConformingReferencesParseIntoTheirParts(@ForAll("references") Reference reference) {
        ImageReference parsed = ImageReference.parse(reference.text());

        assertThat(parsed).isEqualTo(new ParsedImage(reference.text(), reference.registry(), reference.repository(),
                reference.tag(), reference.digest()));
    }

    @Property(tries = 500)
    void uppercaseDigestHexIsInvalid(@ForAll("references") Reference reference, @ForAll("sha256") String hex) {
        String upper = hex.toUpperCase();
        String text = reference.registryAndRepository() + "@sha256:" + upper;

        assertThat(ImageReference.parse(text)).isInstanceOf(InvalidImage.class);
    }

    @Property(tries = 500)
    void whitespaceAnywhereIsInvalid(@ForAll("references") Reference reference,
                                     @ForAll("whitespace") char space, @ForAll("positions") double where) {
        String text = reference.text();
        int at = (int) (where * text.length());
        String spaced = text.substring(0, at) + space + text.substring(at);

        assertThat(ImageReference.parse(spaced)).isEqualTo(new InvalidImage(spaced, "reference contains whitespace"));
    }

    @Property(tries = 1000)
    void quotedIsOnePrintableAsciiLine(@ForAll String anything) {
        assertThat(ImageReference.quoted(anything)).matches("\"[\\x20-\\x7e]*\"");
    }

    record Reference(String registry, String repository, String tag, String digest) {

        String registryAndRepository() {
            return registry == null ? repository : registry + "/" + repository;
        }

        String text() {
            return registryAndRepository() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
        }
    }

    @Provide
    Arbitrary<Reference> references() {
        Arbitrary<String> registry = Arbitraries.oneOf(
                Arbitraries.just("localhost"),
                Combinators.combine(hostComponent(), hostComponent()).as((a, b) -> a + "." + b),
                Combinators.combine(hostComponent(), Arbitraries.integers().between(1, 65535))
                        .as((host, port) -> host + ".example:" + port));
        Arbitrary<String> repository = pathComponent().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l))
                .filter(r -> !r.matches("[0-9a-f]{64}"));
        Arbitrary<String> tag = Combinators.combine(
                Arbitraries.strings().withChars("abcXYZ019_").ofLength(1),
                Arbitraries.strings().withChars("abcXYZ019_.-").ofMaxLength(20)).as(String::concat);
        Arbitrary<String> digest = Arbitraries.oneOf(sha256().map(h -> "sha256:" + h),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(128).map(h -> "sha512:" + h));
        return Combinators.combine(registry.injectNull(0.4), repository, tag.injectNull(0.4), digest.injectNull(0.4))
                .as(Reference::new)
                // a registry-less first component with a dot would be read as a registry, as docker does
                .filter(r -> r.registry() != null || !r.repository().contains("/")
                        || !r.repository().substring(0, r.repository().indexOf('/')).contains("."));
    }

    @Provide
    Arbitrary<String> sha256() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).filter(h -> h.matches(".*[a-f].*"));
    }

    @Provide
    Arbitrary<Character> whitespace() {
        return Arbitraries.of(' ', '\t', '\n', '\r', '\u00a0', '\u2003');
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1).filter(d -> d < 1);
    }

    private static Arbitrary<String> hostComponent() {
        return Arbitraries.strings().withChars("abcxyz019").ofMinLength(1).ofMaxLength(10);
    }

    private static Arbitrary<String> pathComponent() {
        Arbitrary<String> alnum = Arbitraries.strings().withChars("abz09").ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> separator = Arbitraries.of(".", "_", "__", "-", "--");
        return Combinators.combine(alnum, separator.injectNull(0.5), alnum)
                .as((a, sep, b) -> sep == null ? a : a + sep + b);
    }
}

package dev.hardening.policy;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a scanner found in one image, keyed by its manifest digest: one per digest, named after it
 * ({@code sha256-<hex>}). Cluster-scoped on purpose: a namespace admin cannot write one, so a scan that clears a
 * digest comes from an identity only a cluster admin grants (docs/scanning.md). Written by
 * {@code hardening scan import REPORT | kubectl apply -f -}; read by the scan rules through the operator's index.
 */
@Group(HardeningPolicy.GROUP)
@Version(HardeningPolicy.VERSION)
@Plural("imagescans")
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Critical", jsonPath = ".spec.summary.critical", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "High", jsonPath = ".spec.summary.high", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Scanner", jsonPath = ".spec.scanner.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Scanned", jsonPath = ".spec.scannedAt", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "self.metadata.name == self.spec.digest.replace(':', '-')",
        message = "metadata.name must be the digest with ':' replaced by '-', e.g. sha256-<hex>")
@SchemaCustomizer(value = SchemaPatch.class, input = "{\"description\":\"What a scanner found in one image, keyed by "
        + "its manifest digest; named after the digest (sha256-<hex>). Written by hardening scan import; read by the "
        + "rules image-vulnerabilities and image-scanned. See docs/scanning.md.\",\"required\":[\"spec\"],"
        + "\"properties\":{\"spec\":{\"description\":\"The scan: the digest, the scanner, when, counts per severity "
        + "and the findings, most severe first.\"}}}")
public class ImageScan extends CustomResource<ImageScanSpec, Void> {

    /** The manifest digest form the name is made from. */
    public static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    /** {@code sha256-<hex>}: the object name of the scan of {@code digest}. */
    public static String nameOf(String digest) {
        return digest.toLowerCase(Locale.ROOT).replace(':', '-');
    }
}

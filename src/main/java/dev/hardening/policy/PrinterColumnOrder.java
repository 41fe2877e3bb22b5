package dev.hardening.policy;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The CRD generator sorts printer columns by JSON path; {@code kubectl get hp} should read Profile, Mode, Ready,
 * Audited, Violations, Age. Configured as the operator SDK's CRD post-processor; used at build time only.
 */
public final class PrinterColumnOrder implements CRDPostProcessor {

    /** HardeningPolicy's columns, then ImageScan's. */
    static final List<String> ORDER = List.of("Profile", "Mode", "Ready", "Audited", "Violations", "Age",
            "Image", "Critical", "High", "Scanner", "Scanned");

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition && definition.getSpec() != null) {
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                if (version.getAdditionalPrinterColumns() != null) {
                    List<CustomResourceColumnDefinition> columns = new ArrayList<>(version.getAdditionalPrinterColumns());
                    columns.sort(Comparator.comparingInt(PrinterColumnOrder::rank));
                    version.setAdditionalPrinterColumns(columns);
                }
            }
        }
        return crd;
    }

    private static int rank(CustomResourceColumnDefinition column) {
        int rank = ORDER.indexOf(column.getName());
        return rank < 0 ? ORDER.size() : rank;
    }
}

package dev.hardening.operator.reports;

import dev.hardening.ConfigCheck;
import dev.hardening.HardeningConfig;
import dev.hardening.operator.audit.NamespaceAudit;
import dev.hardening.policy.HardeningPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Writes the audit's findings as one report per namespace and policy ({@link ReportBody}), only when its content
 * changed, and deletes reports no policy covers any more. When a report API is not served (its CRDs are not
 * installed), says so once in the log and in the policy's status, and the audit carries on without it.
 * Leader work: called from the reconciler only.
 */
@ApplicationScoped
public class ReportWriter {

    private static final Logger LOG = Logger.getLogger(ReportWriter.class);
    /** Reports per list page of the sweep: a report may hold up to {@link ConfigCheck#MAX_RESULTS} results, so pages stay small. */
    static final long SWEEP_PAGE = 10;

    private final HardeningConfig.Reports config;
    private final Clock clock = Clock.systemUTC();
    /** Last known availability per format, so that a missing CRD is logged once, not on every audit. */
    private final Map<ReportFormat, Boolean> served = new EnumMap<>(ReportFormat.class);

    @Inject
    public ReportWriter(HardeningConfig config) {
        this(config.reports());
    }

    public ReportWriter(HardeningConfig.Reports config) {
        this.config = config;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Results kept per report; 0 when reports are off (the audit then keeps none). */
    public int maxResults() {
        return config.enabled() ? config.maxResults() : 0;
    }

    List<ReportFormat> formats() {
        List<ReportFormat> formats = new ArrayList<>();
        if (config.enabled()) {
            formats.add(ReportFormat.OPEN_REPORTS);
            if (config.policyReports()) {
                formats.add(ReportFormat.POLICY_REPORT);
            }
        }
        return formats;
    }

    /** One policy's audit run: which formats are served, and how the writes went. */
    public Run begin(KubernetesClient client, HardeningPolicy policy) {
        List<ReportFormat> available = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ReportFormat format : formats()) {
            if (served(client, format)) {
                available.add(format);
            } else {
                missing.add(format.apiVersion() + " " + format.kind());
            }
        }
        ReportBody.Owner owner = new ReportBody.Owner(policy.getApiVersion(), policy.getKind(),
                policy.getMetadata().getNamespace(), policy.getMetadata().getName(), policy.getMetadata().getUid());
        return new Run(client, owner, available, missing);
    }

    private synchronized boolean served(KubernetesClient client, ReportFormat format) {
        boolean now;
        try {
            now = client.supports(format.apiVersion(), format.kind());
        } catch (KubernetesClientException e) {
            now = false;
        }
        Boolean before = served.put(format, now);
        if (!now && !Boolean.FALSE.equals(before)) {
            LOG.warnf("%s %s is not served by the API server (CRD %s not installed): the audit goes on without "
                    + "writing them; install the CRDs (chart value reports.installCrds=true)", format.apiVersion(),
                    format.kind(), format.resource());
        } else if (now && Boolean.FALSE.equals(before)) {
            LOG.infof("%s %s is served now: writing reports", format.apiVersion(), format.kind());
        }
        return now;
    }

    private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
    reports(KubernetesClient client, ReportFormat format) {
        return client.genericKubernetesResources(format.apiVersion(), format.kind());
    }

    /**
     * Deletes the reports of this operator (any format served) that no current policy writes: the policy is gone or
     * invalid, or no longer covers that namespace ({@code writes(policy ref, namespace)} false). Paged.
     */
    public int sweep(KubernetesClient client, BiPredicate<String, String> writes) {
        int deleted = 0;
        for (ReportFormat format : formats()) {
            if (!served(client, format)) {
                continue;
            }
            String token = null;
            do {
                GenericKubernetesResourceList page = reports(client, format).inAnyNamespace().list(new ListOptionsBuilder()
                        .withLabelSelector(ReportBody.MANAGED_BY + "=" + ReportBody.SOURCE)
                        .withLimit(SWEEP_PAGE).withContinue(token).build());
                for (GenericKubernetesResource report : page.getItems()) {
                    Map<String, String> annotations = report.getMetadata().getAnnotations();
                    String policy = annotations == null ? null : annotations.get(ReportBody.POLICY_ANNOTATION);
                    if (policy == null || !policy.contains("/") || policy.endsWith("/")
                            || !writes.test(policy, report.getMetadata().getNamespace())) {
                        reports(client, format).resource(report).delete();
                        deleted++;
                    }
                }
                token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            } while (token != null && !token.isEmpty());
        }
        return deleted;
    }

    /** Writes of one policy's audit; not thread-safe (one reconciliation). */
    public final class Run {

        private final KubernetesClient client;
        private final ReportBody.Owner owner;
        private final List<ReportFormat> available;
        private final List<String> missing;
        private int namespaces;
        private int written;
        private int failures;
        private String firstFailure;

        private Run(KubernetesClient client, ReportBody.Owner owner, List<ReportFormat> available, List<String> missing) {
            this.client = client;
            this.owner = owner;
            this.available = available;
            this.missing = missing;
        }

        /** Writes (or deletes, when it saw no object) the namespace's report in every served format. */
        public void write(NamespaceAudit audit) {
            namespaces++;
            for (ReportFormat format : available) {
                try {
                    Resource<GenericKubernetesResource> resource = reports(client, format)
                            .inNamespace(audit.namespace()).withName(ReportBody.name(owner));
                    GenericKubernetesResource existing = resource.get();
                    if (audit.tally().checked() == 0) {
                        if (existing != null) {
                            resource.delete();
                        }
                        continue;
                    }
                    GenericKubernetesResource desired = ReportBody.desired(format, owner, audit, config.maxResults(),
                            clock.instant(), existing);
                    if (ReportBody.same(desired, existing)) {
                        continue;
                    }
                    if (existing == null) {
                        reports(client, format).resource(desired).create();
                    } else {
                        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                        reports(client, format).resource(desired).update();
                    }
                    written++;
                } catch (KubernetesClientException e) {
                    failures++;
                    if (firstFailure == null) {
                        firstFailure = "cannot write " + format.kind() + " " + audit.namespace() + "/"
                                + ReportBody.name(owner) + ": " + (e.getStatus() != null && e.getStatus().getMessage() != null
                                ? e.getStatus().getMessage() : e.getMessage());
                        LOG.warnf("HardeningPolicy %s: %s", owner.ref(), firstFailure);
                    }
                }
            }
        }

        /** For the policy's Reported condition. */
        public ReportWriteResult outcome() {
            if (!missing.isEmpty()) {
                return new ReportWriteResult(false, "CrdNotInstalled", String.join(" and ", missing)
                        + " not served by the API server: install the CRDs (chart value reports.installCrds=true); "
                        + "the audit and its status are unaffected");
            }
            if (failures > 0) {
                return new ReportWriteResult(false, "WriteFailed", failures + " report writes failed, the first: " + firstFailure);
            }
            List<String> kinds = available.stream().map(f -> f.apiVersion() + " " + f.kind()).toList();
            return new ReportWriteResult(true, "Written", String.join(" and ", kinds) + " for " + namespaces
                    + (namespaces == 1 ? " namespace" : " namespaces") + " (" + written + " changed)");
        }
    }
}

package dev.hardening.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardening.HardeningConfig;
import dev.hardening.policy.ImageScan;
import dev.hardening.engine.ImageScans;
import dev.hardening.engine.VulnerabilityReports;
import dev.hardening.rules.ScanLookup;
import dev.hardening.rules.ScanResult;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The scans admission and the audit read ({@link ScanLookup}), held in memory on every replica and fed by two
 * informers: ImageScans (cluster-scoped, trusted) and, when Trivy Operator's CRD is served, its VulnerabilityReports
 * (namespaced; trusted only with {@code hardening.scan.trust-vulnerability-reports}, otherwise they only add
 * findings). No API call per lookup. Not part of readiness: until the first list arrives every digest is unscanned,
 * which image-scanned reports and image-vulnerabilities lets through. Started at startup ({@link PolicyIndexStartup}),
 * never from a lookup (the admission path makes no API call); a failed start (CRD missing) is retried every
 * {@link #RETRY}, off the caller's thread, and Trivy Operator's CRD is looked for until it is served. The informers
 * keep no report ({@link VersionOnlyStore}): what stays in memory is the index's, bounded by
 * {@code hardening.scan.max-digests}.
 */
@ApplicationScoped
public class ScanIndex implements ScanLookup {

    private static final Logger LOG = Logger.getLogger(ScanIndex.class);
    static final String REPORTS_GROUP_VERSION = "aquasecurity.github.io/v1alpha1";
    private static final String REPORT_KIND = "VulnerabilityReport";
    private static final Duration RETRY = Duration.ofSeconds(30);
    private static final Duration FIRST_RECHECK = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final boolean trustReports;
    private final DigestIndex index;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile SharedIndexInformer<ImageScan> scans;
    private volatile SharedIndexInformer<GenericKubernetesResource> reports;
    private volatile boolean reportsServed;
    private boolean started;
    /** Whether the index's being full was logged since it last had room: once per time it fills. */
    private final AtomicBoolean fullLogged = new AtomicBoolean();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "scan-index-retry");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public ScanIndex(KubernetesClient client, HardeningConfig config) {
        this(client, config.scan().trustVulnerabilityReports(), config.scan().maxDigests());
    }

    ScanIndex(KubernetesClient client, boolean trustReports, int maxDigests) {
        this.client = client;
        this.trustReports = trustReports;
        this.index = new DigestIndex(maxDigests);
    }

    @Override
    public List<ScanResult> scansOf(String digest) {
        return index.scansOf(digest);
    }

    /** Whether Trivy Operator's VulnerabilityReport CRD is served, as discovery last said (asked again until it is). */
    public boolean vulnerabilityReportsServed() {
        return reportsServed;
    }

    /** Runs {@code listener} after each change of a scan (quickly: it runs on an informer's thread). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        startImageScans();
        // on the caller's thread the first time, as before: the policies' first status already says whether
        checkReports(FIRST_RECHECK);
    }

    private synchronized void startImageScans() {
        if (!started || scans != null) {
            return;
        }
        SharedIndexInformer<ImageScan> imageScans = client.resources(ImageScan.class).runnableInformer(0);
        imageScans.itemStore(new VersionOnlyStore<>(ImageScan::new));
        imageScans.addEventHandler(handler(scan -> ImageScans.toResult(scan)));
        scans = imageScans;
        imageScans.start().exceptionally(e -> {
            LOG.warnf("ImageScan informer failed to start (is the CRD installed?): %s; retrying in %ss", e.getMessage(),
                    RETRY.toSeconds());
            stopImageScans(imageScans);
            later(this::startImageScans, RETRY);
            return null;
        });
    }

    /**
     * Starts the VulnerabilityReport informer once Trivy Operator's CRD is served; until then asks discovery again
     * after {@code delay}, doubling up to {@link #RETRY}, so that a CRD installed while the operator runs is noticed
     * within that. Every policy that reads scans is re-audited when the answer changes (its condition says it).
     */
    private synchronized void checkReports(Duration delay) {
        if (!started || reports != null) {
            return;
        }
        if (!served()) {
            Duration next = delay.multipliedBy(2).compareTo(RETRY) > 0 ? RETRY : delay.multipliedBy(2);
            later(() -> checkReports(next), delay);
            return;
        }
        SharedIndexInformer<GenericKubernetesResource> created = client
                .genericKubernetesResources(REPORTS_GROUP_VERSION, REPORT_KIND).inAnyNamespace().runnableInformer(0);
        created.itemStore(new VersionOnlyStore<>(ScanIndex::emptyReport));
        created.addEventHandler(handler(this::report));
        reports = created;
        reportsServed = true;
        LOG.infof("VulnerabilityReports (%s) are served: reading them", REPORTS_GROUP_VERSION);
        changed();
        created.start().exceptionally(e -> {
            LOG.warnf("VulnerabilityReport informer failed to start: %s; asking discovery again", e.getMessage());
            synchronized (this) {
                if (reports == created) {
                    created.close();
                    reports = null;
                    reportsServed = false;
                }
            }
            changed();
            later(() -> checkReports(FIRST_RECHECK), RETRY);
            return null;
        });
    }

    /** Runs {@code task} after {@code delay} on the retry thread, unless the index was stopped meanwhile. */
    private synchronized void later(Runnable task, Duration delay) {
        if (started) {
            retries.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static GenericKubernetesResource emptyReport() {
        GenericKubernetesResource report = new GenericKubernetesResource();
        report.setApiVersion(REPORTS_GROUP_VERSION);
        report.setKind(REPORT_KIND);
        return report;
    }

    /** Discovery, which every authenticated identity may read: is the VulnerabilityReport CRD installed? */
    private boolean served() {
        try {
            APIResourceList resources = client.getApiResources(REPORTS_GROUP_VERSION);
            return resources != null && resources.getResources().stream().anyMatch(r -> "vulnerabilityreports".equals(r.getName()));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    private Optional<ScanResult> report(GenericKubernetesResource report) {
        JsonNode body = JSON.valueToTree(report.getAdditionalProperties().get("report"));
        return body == null ? Optional.empty() : VulnerabilityReports.toResult(report.getMetadata().getNamespace(),
                report.getMetadata().getName(), body, trustReports);
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Function<T, Optional<ScanResult>> read) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                upsert(object, read);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                upsert(newObject, read);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                index.remove(key(object));
                rearm();
                changed();
            }
        };
    }

    private <T extends HasMetadata> void upsert(T object, Function<T, Optional<ScanResult>> read) {
        Optional<ScanResult> scan = read.apply(object);
        if (scan.isEmpty()) {
            index.remove(key(object));
        } else if (!index.put(key(object), scan.get()) && fullLogged.compareAndSet(false, true)) {
            LOG.warnf("scan index full (%d digests, hardening.scan.max-digests): the scans of further digests are left "
                    + "out, first %s (counted in hardening_scan_digests_refused_total); this is logged again only "
                    + "after the index had room", index.digests(), scan.get().digest());
        }
        rearm();
        changed();
    }

    private void rearm() {
        if (index.digests() < index.maxDigests()) {
            fullLogged.set(false);
        }
    }

    /** Digests held now. */
    public int digests() {
        return index.digests();
    }

    /** Digests held at most ({@code hardening.scan.max-digests}). */
    public int maxDigests() {
        return index.maxDigests();
    }

    /** Scans left out so far because the index was full. */
    public long refused() {
        return index.leftOut();
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    /** What the index calls the object: its handlers get the same from a full object and from the informer's store. */
    static String key(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    @PreDestroy
    void close() {
        // stopped first: a check running now then schedules nothing on the executor being shut down
        stop();
        retries.shutdownNow();
    }

    synchronized void stop() {
        started = false;
        stopImageScans(scans);
        if (reports != null) {
            reports.close();
            reports = null;
        }
    }

    private synchronized void stopImageScans(SharedIndexInformer<ImageScan> informer) {
        if (informer != null && scans == informer) {
            scans.close();
            scans = null;
        }
    }
}

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
import java.util.function.Function;

/**
 * The scans admission and the audit read ({@link ScanLookup}), held in memory on every replica and fed by two
 * informers: ImageScans (cluster-scoped, trusted) and, when Trivy Operator's CRD is served, its VulnerabilityReports
 * (namespaced; trusted only with {@code hardening.scan.trust-vulnerability-reports}, otherwise they only add
 * findings). No API call per lookup. Not part of readiness: until the first list arrives every digest is unscanned,
 * which image-scanned reports and image-vulnerabilities lets through. Started at startup ({@link PolicyIndexStartup}),
 * never from a lookup (the admission path makes no API call); a failed start (CRD missing) is retried every
 * {@link #RETRY}, off the caller's thread.
 */
@ApplicationScoped
public class ScanIndex implements ScanLookup {

    private static final Logger LOG = Logger.getLogger(ScanIndex.class);
    static final String REPORTS_GROUP_VERSION = "aquasecurity.github.io/v1alpha1";
    private static final Duration RETRY = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final boolean trustReports;
    private final DigestIndex index;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile SharedIndexInformer<ImageScan> scans;
    private volatile SharedIndexInformer<GenericKubernetesResource> reports;
    private volatile boolean reportsServed;
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

    /** Whether Trivy Operator's VulnerabilityReport CRD was served when the informers last started. */
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
        if (scans != null) {
            return;
        }
        SharedIndexInformer<ImageScan> imageScans = client.resources(ImageScan.class).runnableInformer(0);
        imageScans.addEventHandler(handler(scan -> ImageScans.toResult(scan)));
        scans = imageScans;
        imageScans.start().exceptionally(e -> {
            LOG.warnf("ImageScan informer failed to start (is the CRD installed?): %s; retrying in %ss", e.getMessage(),
                    RETRY.toSeconds());
            stop();
            retries.schedule(this::start, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        });
        reportsServed = served();
        if (reportsServed) {
            SharedIndexInformer<GenericKubernetesResource> created = client
                    .genericKubernetesResources(REPORTS_GROUP_VERSION, "VulnerabilityReport").inAnyNamespace()
                    .runnableInformer(0);
            created.addEventHandler(handler(this::report));
            reports = created;
            created.start().exceptionally(e -> {
                LOG.warnf("VulnerabilityReport informer failed to start: %s", e.getMessage());
                return null;
            });
        }
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
                changed();
            }
        };
    }

    private <T extends HasMetadata> void upsert(T object, Function<T, Optional<ScanResult>> read) {
        Optional<ScanResult> scan = read.apply(object);
        if (scan.isEmpty()) {
            index.remove(key(object));
        } else if (!index.put(key(object), scan.get())) {
            LOG.warnf("scan index full (%d digests, hardening.scan.max-digests): the scan of %s is left out",
                    index.digests(), scan.get().digest());
        }
        changed();
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private static String key(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    @PreDestroy
    void close() {
        retries.shutdownNow();
        stop();
    }

    synchronized void stop() {
        if (scans != null) {
            scans.close();
            scans = null;
        }
        if (reports != null) {
            reports.close();
            reports = null;
        }
    }
}

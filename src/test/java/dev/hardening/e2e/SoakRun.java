package dev.hardening.e2e;

import dev.hardening.testing.Manifests;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak behind {@code hack/soak.sh} (docs/reliability.md), not part of {@code ./mvnw verify} (the name does not
 * end in IT): two replicas as the chart installs them answer admissions through the API server at a steady rate,
 * a fixed mix of compliant and violating Pods and Deployments with known verdicts, for {@code soak.duration}, while
 * the API server and etcd are restarted, the leader is SIGKILLed and started again, the serving certificate rotates (a
 * three-minute lifetime, renewed at two thirds) and policies are created, changed and deleted. The report (requests,
 * wrong verdicts, failed admissions and their fault windows, latency, RSS of both replicas) goes to
 * {@code target/e2e/soak-run/report.md}.
 *
 * <p>It fails on any wrong verdict, and on any failed admission outside a window in which the API server or etcd
 * was down or a replica had just been killed.
 */
@EndToEnd
class SoakRun {

    static final String NS = "hardening-soak";
    static final String ENFORCE = "soak-enforce";
    static final String WARN = "soak-warn";
    static final String CHURN = "soak-churn";
    static final Duration SERVING_VALIDITY = Duration.ofMinutes(3);

    enum Outcome { OK, WRONG_VERDICT, FAILED_ADMISSION, API_SERVER_UNAVAILABLE }

    /** One kind of admission of the fixed mix, with the verdict it must get. */
    record Case(String name, String path, String json, boolean allowed, String denial, String warning) {
    }

    record Result(Instant sent, Duration latency, Case admission, Outcome outcome, String detail) {
    }

    /** A fault and when it acted; {@code excused}: admissions may fail in it (the API server or a replica is down). */
    record Window(String fault, Instant start, Instant end, boolean excused) {
        boolean contains(Instant t) {
            return !t.isBefore(start) && !t.isAfter(end);
        }
    }

    record Sample(Instant at, String replica, long pid, long rssKib) {
    }

    private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger policyChanges = new AtomicInteger();

    @Test
    void soak(EndToEnd.E2e e2e) throws Exception {
        Duration duration = Duration.parse(System.getProperty("soak.duration", "PT10M"));
        int rate = Integer.getInteger("soak.rate", 10);
        Duration apiserverDown = Duration.parse(System.getProperty("soak.apiserver-down", "PT20S"));
        Duration etcdDown = Duration.parse(System.getProperty("soak.etcd-down", "PT10S"));
        ControlPlane cluster = e2e.cluster();
        Kubectl kubectl = e2e.kubectl();
        Path dir = e2e.dir();
        Fixtures fixtures = e2e.fixtures();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        try (ChartRelease chart = ChartRelease.install(cluster, "soak", NS);
             Replicas replicas = Replicas.start(cluster, chart, "soak", 2,
                     Map.of("HARDENING_CERTIFICATES_SERVING_VALIDITY", SERVING_VALIDITY.toString()))) {
            for (String ns : List.of(ENFORCE, WARN, CHURN)) {
                fixtures.namespace(ns);
            }
            fixtures.apply(Fixtures.policy(ENFORCE, "gate", "Hardened", "Enforce"));
            fixtures.apply(Fixtures.policy(WARN, "advice", "Hardened", "Warn"));
            fixtures.awaitPolicyReady(ENFORCE, "gate");
            fixtures.awaitPolicyReady(WARN, "advice");
            List<Case> mix = mix();
            HttpClient http = cluster.adminHttpClient();
            var last = new java.util.concurrent.atomic.AtomicReference<Result>();
            try {
                Awaitility.await("the API server calling the webhook").atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(500)).until(() -> {
                            last.set(admit(cluster, http, mix.get(1)));
                            return last.get().outcome() == Outcome.OK;
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no expected denial through the API server within a minute; last answer: "
                        + last.get().outcome() + " " + last.get().detail(), e);
            }

            Instant start = Instant.now();
            Instant end = start.plus(duration);
            ScheduledExecutorService clock = Executors.newScheduledThreadPool(4);
            ExecutorService senders = Executors.newFixedThreadPool(16);
            AtomicInteger next = new AtomicInteger();
            clock.scheduleAtFixedRate(() -> {
                Case admission = mix.get(Math.floorMod(next.getAndIncrement(), mix.size()));
                senders.execute(() -> results.add(admit(cluster, http, admission)));
            }, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
            clock.scheduleWithFixedDelay(() -> sampleRss(replicas), 0, 5, TimeUnit.SECONDS);
            clock.scheduleWithFixedDelay(() -> churn(kubectl, next.get()), 3, 5, TimeUnit.SECONDS);
            clock.scheduleWithFixedDelay(new RotationWatch(kubectl, chart), 0, 2, TimeUnit.SECONDS);

            // faults, one after the other: per cycle of about three minutes an API-server restart, then a leader kill
            int cycles = (int) Math.max(1, duration.toSeconds() / 180);
            Duration cycle = duration.dividedBy(cycles);
            for (int c = 0; c < cycles; c++) {
                Instant cycleStart = start.plus(cycle.multipliedBy(c));
                waitUntil(cycleStart.plus(cycle.multipliedBy(15).dividedBy(100)));
                restartApiserver(cluster, apiserverDown);
                waitUntil(cycleStart.plus(cycle.multipliedBy(50).dividedBy(100)));
                killAndRestartLeader(replicas);
                waitUntil(cycleStart.plus(cycle.multipliedBy(80).dividedBy(100)));
                restartEtcd(cluster, etcdDown);
            }
            waitUntil(end);
            clock.shutdownNow();
            senders.shutdown();
            senders.awaitTermination(30, TimeUnit.SECONDS);
            String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

            String report = report(start, duration, rate, loadBefore, loadAfter);
            Files.writeString(dir.resolve("report.md"), report);
            System.err.println(report);

            assertThat(results).as("admissions").isNotEmpty();
            assertThat(results).as("wrong verdicts").noneMatch(r -> r.outcome() == Outcome.WRONG_VERDICT);
            assertThat(results).as("failed admissions outside an API-server restart or a replica kill")
                    .filteredOn(r -> r.outcome() == Outcome.FAILED_ADMISSION
                            && windows.stream().noneMatch(w -> w.excused() && w.contains(r.sent())))
                    .isEmpty();
        } finally {
            kubectl.run("delete", "namespace", ENFORCE, WARN, CHURN, "--wait=false");
        }
    }

    /** The fixed mix: every kind of admission, with the verdict it must get. */
    private static List<Case> mix() {
        String plain = Manifests.plainPodSpec("Always", "nginx:1.25");
        String hardened = Manifests.hardenedPodSpec("Always");
        return List.of(
                pod(ENFORCE, "hardened", hardened, true, null, null),
                pod(ENFORCE, "plain", plain, false, "Pod \"plain\" violates HardeningPolicy \"" + ENFORCE + "/gate\"", null),
                deployment(ENFORCE, "hardened", hardened, true, null, null),
                deployment(ENFORCE, "plain", plain, false,
                        "Deployment \"plain\" violates HardeningPolicy \"" + ENFORCE + "/gate\"", null),
                pod(WARN, "plain", plain, true, null, "[image-digest]"),
                deployment(WARN, "hardened", hardened, true, null, null));
    }

    private static Case pod(String ns, String name, String spec, boolean allowed, String denial, String warning) {
        return new Case("Pod " + ns + "/" + name, "/api/v1/namespaces/" + ns + "/pods",
                json(Manifests.pod(ns, name, spec)), allowed, denial, warning);
    }

    private static Case deployment(String ns, String name, String spec, boolean allowed, String denial, String warning) {
        return new Case("Deployment " + ns + "/" + name, "/apis/apps/v1/namespaces/" + ns + "/deployments",
                json(Manifests.deployment(ns, name, spec)), allowed, denial, warning);
    }

    private static String json(String yaml) {
        return Serialization.asJson(Serialization.unmarshal(yaml));
    }

    /** One server-side dry-run create through the API server (which calls the webhook), classified. */
    private static Result admit(ControlPlane cluster, HttpClient http, Case admission) {
        Instant sent = Instant.now();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(cluster.server() + admission.path() + "?dryRun=All&fieldManager=soak"))
                    .timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + cluster.adminBearerToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(admission.json())).build(), HttpResponse.BodyHandlers.ofString());
            Duration latency = Duration.ofNanos(System.nanoTime() - t0);
            int code = response.statusCode();
            String body = response.body();
            String warnings = String.join("\n", response.headers().allValues("Warning"));
            if (code == 201) {
                boolean warningsRight = admission.warning() == null ? warnings.isEmpty() : warnings.contains(admission.warning());
                return admission.allowed() && warningsRight ? new Result(sent, latency, admission, Outcome.OK, "")
                        : new Result(sent, latency, admission, Outcome.WRONG_VERDICT, "created; warnings: " + warnings);
            }
            // the Status message, not the raw body: JSON escapes the quotes the message has
            String message = message(body);
            if (code == 403 && message.startsWith(WebhookIT.DENIED)) {
                return !admission.allowed() && message.startsWith(WebhookIT.DENIED + admission.denial())
                        ? new Result(sent, latency, admission, Outcome.OK, "")
                        : new Result(sent, latency, admission, Outcome.WRONG_VERDICT, "denied: " + message);
            }
            if (message.contains("failed calling webhook")) {
                return new Result(sent, latency, admission, Outcome.FAILED_ADMISSION, message);
            }
            return new Result(sent, latency, admission, Outcome.API_SERVER_UNAVAILABLE, "HTTP " + code + " " + message);
        } catch (IOException e) {
            return new Result(sent, Duration.ofNanos(System.nanoTime() - t0), admission, Outcome.API_SERVER_UNAVAILABLE,
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(sent, Duration.ZERO, admission, Outcome.API_SERVER_UNAVAILABLE, "interrupted");
        }
    }

    private static String message(String statusJson) {
        try {
            String message = Serialization.unmarshal(statusJson, io.fabric8.kubernetes.api.model.Status.class).getMessage();
            return message == null ? statusJson : message;
        } catch (RuntimeException e) {
            return statusJson.length() > 300 ? statusJson.substring(0, 300) : statusJson;
        }
    }

    private void restartApiserver(ControlPlane cluster, Duration down) {
        Instant start = Instant.now();
        cluster.stopApiserver();
        waitUntil(Instant.now().plus(down));
        cluster.startApiserver();
        // the API server's own informers (EndpointSlices among them) catch up just after /readyz
        windows.add(new Window("kube-apiserver restart (" + down.toSeconds() + " s down)", start, Instant.now().plusSeconds(5),
                true));
    }

    private void restartEtcd(ControlPlane cluster, Duration down) {
        Instant start = Instant.now();
        cluster.stopEtcd();
        waitUntil(Instant.now().plus(down));
        cluster.startEtcd();
        windows.add(new Window("etcd restart (" + down.toSeconds() + " s down)", start, Instant.now().plusSeconds(5), true));
    }

    private void killAndRestartLeader(Replicas replicas) {
        Optional<Integer> leader = replicas.leader();
        if (leader.isEmpty()) {
            events.add(at(Instant.now()) + " no leader to kill");
            return;
        }
        int killed = leader.get();
        String dead = replicas.leaderIdentity().orElseThrow();
        Instant start = Instant.now();
        long pid = replicas.process(killed).pid();
        replicas.kill(killed);
        // as the kubelet does, the container is started again at once; a replica takes the Lease once it expires
        replicas.restart(killed);
        // the Lease names the dead process until then: wait for another identity, not for any holder
        Awaitility.await("a new leader after the kill").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> replicas.leaderIdentity().filter(holder -> !holder.equals(dead)).isPresent()
                        && replicas.leader().isPresent());
        Instant end = Instant.now();
        windows.add(new Window("SIGKILL of the leader soak-" + killed + " (pid " + pid + ") and its restart", start,
                replicas.withdrawn(killed).orElse(start).plusSeconds(1), true));
        events.add(at(start) + " leader soak-" + killed + " killed; restarted as pid " + replicas.process(killed).pid()
                + "; soak-" + replicas.leader().orElseThrow() + " took the Lease at " + at(end) + ", "
                + Duration.between(start, end).toSeconds() + " s after the kill");
    }

    /** Policies created, changed and deleted in their own namespace: every replica recompiles while it answers. */
    private void churn(Kubectl kubectl, int tick) {
        int k = tick % 4;
        String mode = tick % 2 == 0 ? "Enforce" : "Warn";
        Kubectl.Result applied = kubectl.runWithInput(Fixtures.policy(CHURN, "churn-" + k, "Baseline", mode), "apply", "-f", "-");
        kubectl.run("delete", "hardeningpolicy", "churn-" + ((k + 2) % 4), "-n", CHURN, "--ignore-not-found", "--wait=false");
        if (applied.exitCode() == 0) {
            policyChanges.addAndGet(2);
        }
    }

    /** Records each new serving certificate (the Secret's fingerprint annotation) as an event. */
    private final class RotationWatch implements Runnable {
        private final Kubectl kubectl;
        private final ChartRelease chart;
        private String last;

        RotationWatch(Kubectl kubectl, ChartRelease chart) {
            this.kubectl = kubectl;
            this.chart = chart;
        }

        @Override
        public void run() {
            Kubectl.Result fingerprint = kubectl.run("get", "secret", "hardening-operator-tls", "-n", chart.namespace(),
                    "-o", "jsonpath={.metadata.annotations.hardening\\.dev/serving-sha256}");
            String now = fingerprint.stdout().trim();
            if (fingerprint.exitCode() == 0 && !now.isEmpty() && !now.equals(last)) {
                if (last != null) {
                    // not excused: rotation is designed to fail no admission; the window only names the moment
                    Instant t = Instant.now();
                    windows.add(new Window("serving certificate rotated to sha256 " + now.substring(0, 12) + "...",
                            t.minusSeconds(5), t.plusSeconds(30), false));
                }
                last = now;
            }
        }
    }

    private void sampleRss(Replicas replicas) {
        for (int i = 0; i < replicas.size(); i++) {
            OperatorProcess process = replicas.process(i);
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        samples.add(new Sample(Instant.now(), "soak-" + i, process.pid(),
                                Long.parseLong(line.replaceAll("[^0-9]", ""))));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process is gone (killed); the next sample sees its successor
            }
        }
    }

    private Optional<Window> window(Instant t) {
        return windows.stream().filter(w -> w.contains(t)).findFirst();
    }

    private static void waitUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            try {
                // the soak's own schedule (a load generator, not a test condition)
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String at(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private String report(Instant start, Duration duration, int rate, String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder();
        out.append("# Soak report\n\n");
        out.append("- date: ").append(start.truncatedTo(ChronoUnit.SECONDS)).append(" (UTC), ").append(duration.toMinutes())
                .append(" min at ").append(rate).append(" admissions/s\n");
        out.append("- machine: ").append(machine()).append("\n");
        out.append("- load average (1/5/15 min) before: ").append(loadBefore.substring(0, loadBefore.lastIndexOf(' ', loadBefore.lastIndexOf(' ') - 1)))
                .append("; after: ").append(loadAfter.substring(0, loadAfter.lastIndexOf(' ', loadAfter.lastIndexOf(' ') - 1))).append("\n");
        out.append("- commit: ").append(commit()).append("\n\n");

        Map<Outcome, Long> byOutcome = results.stream().collect(Collectors.groupingBy(Result::outcome, Collectors.counting()));
        out.append("| outcome | admissions |\n| --- | --- |\n");
        for (Outcome o : Outcome.values()) {
            out.append("| ").append(o).append(" | ").append(byOutcome.getOrDefault(o, 0L)).append(" |\n");
        }
        out.append("| total | ").append(results.size()).append(" |\n\n");
        List<Long> micros = results.stream().filter(r -> r.outcome() == Outcome.OK || r.outcome() == Outcome.WRONG_VERDICT)
                .map(r -> r.latency().toNanos() / 1000).sorted().toList();
        if (!micros.isEmpty()) {
            out.append("Latency through the API server (answered admissions): p50 ").append(millis(percentile(micros, 50)))
                    .append(" ms, p99 ").append(millis(percentile(micros, 99))).append(" ms, max ")
                    .append(millis(micros.get(micros.size() - 1))).append(" ms.\n\n");
        }

        out.append("## Fault windows\n\n| fault | from | to | failed admissions | API server unavailable |\n| --- | --- | --- | --- | --- |\n");
        for (Window w : windows.stream().sorted(Comparator.comparing(Window::start)).toList()) {
            out.append("| ").append(w.fault()).append(" | ").append(at(w.start())).append(" | ").append(at(w.end())).append(" | ")
                    .append(count(w, Outcome.FAILED_ADMISSION)).append(" | ").append(count(w, Outcome.API_SERVER_UNAVAILABLE))
                    .append(" |\n");
        }
        long outside = results.stream().filter(r -> r.outcome() != Outcome.OK && window(r.sent()).isEmpty()).count();
        out.append("| outside any fault window | | | ").append(outside).append(" (all outcomes but OK) | |\n\n");
        out.append("Events: ").append(events.size()).append(", policy writes (churn): ").append(policyChanges.get()).append("\n\n");
        events.forEach(e -> out.append("- ").append(e).append('\n'));

        List<Result> bad = results.stream().filter(r -> r.outcome() == Outcome.WRONG_VERDICT
                || r.outcome() == Outcome.FAILED_ADMISSION).sorted(Comparator.comparing(Result::sent)).toList();
        if (!bad.isEmpty()) {
            out.append("\n## Wrong verdicts and failed admissions\n\n");
            bad.stream().limit(50).forEach(r -> out.append("- ").append(at(r.sent())).append(' ').append(r.outcome())
                    .append(' ').append(r.admission().name()).append(" [").append(window(r.sent()).map(Window::fault)
                            .orElse("outside any fault window")).append("]: ").append(r.detail()).append('\n'));
        }

        out.append("\n## RSS of the replicas (MiB; the chart's memory limit is ")
                .append(PodJvm.memoryLimitBytes() / (1024 * 1024)).append(" MiB)\n\n| minute |");
        List<String> names = samples.stream().map(Sample::replica).distinct().sorted().toList();
        names.forEach(n -> out.append(' ').append(n).append(" |"));
        out.append("\n| --- |");
        names.forEach(n -> out.append(" --- |"));
        out.append('\n');
        for (long minute = 0; minute <= duration.toMinutes(); minute++) {
            Instant from = start.plus(Duration.ofMinutes(minute));
            Instant to = from.plus(Duration.ofMinutes(1));
            out.append("| ").append(minute).append(" |");
            for (String n : names) {
                Optional<Long> max = samples.stream().filter(s -> s.replica().equals(n) && !s.at().isBefore(from) && s.at().isBefore(to))
                        .map(Sample::rssKib).max(Long::compare);
                out.append(' ').append(max.map(kib -> Long.toString(kib / 1024)).orElse("-")).append(" |");
            }
            out.append('\n');
        }
        for (String n : names) {
            long max = samples.stream().filter(s -> s.replica().equals(n)).mapToLong(Sample::rssKib).max().orElse(0);
            out.append("\nMax RSS of ").append(n).append(": ").append(max / 1024).append(" MiB");
        }
        out.append('\n');
        return out.toString();
    }

    private long count(Window w, Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome && w.contains(r.sent())).count();
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String millis(long micros) {
        return String.format(java.util.Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static String machine() {
        String model = "";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
        } catch (IOException e) {
            // not Linux: the report names what it can
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs" + (model.isEmpty() ? "" : " (" + model + ")") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }

    private static String commit() {
        Kubectl.Result head = Kubectl.exec(List.of("git", "rev-parse", "--short=12", "HEAD"), null, Map.of());
        Kubectl.Result dirty = Kubectl.exec(List.of("git", "status", "--porcelain"), null, Map.of());
        return head.stdout().trim() + (dirty.stdout().isBlank() ? "" : " (with uncommitted changes)");
    }
}

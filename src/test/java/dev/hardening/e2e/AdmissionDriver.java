package dev.hardening.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Admissions through the API server, one after the other, for as long as it runs: a compliant Pod (must be created)
 * and a non-compliant one (must be denied by the webhook with its message), alternately, with
 * {@code kubectl create --dry-run=server} as a user would. Every answer is recorded with its time, so a test can
 * say which admission failed and when.
 */
final class AdmissionDriver implements AutoCloseable {

    enum Verdict { CREATED, DENIED }

    /** One admission: when it was sent and answered, what was expected, kubectl's words when it was something else. */
    record Answer(Instant sent, Instant at, Verdict expected, boolean asExpected, String detail) {
    }

    private final Kubectl kubectl;
    private final String compliant;
    private final String violating;
    private final String deniedPrefix;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * {@code deniedPrefix}: the start of the webhook's denial as kubectl prints it after "denied the request: ",
     * e.g. {@code Pod "plain" violates HardeningPolicy "ns/name"}.
     */
    AdmissionDriver(Kubectl kubectl, String compliantPod, String violatingPod, String deniedPrefix) {
        this.kubectl = kubectl;
        this.compliant = compliantPod;
        this.violating = violatingPod;
        this.deniedPrefix = deniedPrefix;
        this.thread = new Thread(this::drive, "e2e-admission-driver");
        this.thread.setDaemon(true);
    }

    AdmissionDriver start() {
        thread.start();
        return this;
    }

    private void drive() {
        boolean compliantNext = true;
        while (running) {
            Verdict expected = compliantNext ? Verdict.CREATED : Verdict.DENIED;
            Instant sent = Instant.now();
            Kubectl.Result result = kubectl.runWithInput(compliantNext ? compliant : violating,
                    "create", "--dry-run=server", "-f", "-");
            boolean ok = expected == Verdict.CREATED
                    ? result.exitCode() == 0
                    : result.exitCode() != 0 && result.stderr().contains(WebhookIT.DENIED + deniedPrefix);
            answers.add(new Answer(sent, Instant.now(), expected, ok, ok ? "" : result.stderr().strip()));
            compliantNext = !compliantNext;
        }
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    List<Answer> answersAfter(Instant start) {
        List<Answer> after = new ArrayList<>();
        for (Answer a : answers) {
            if (!a.at().isBefore(start)) {
                after.add(a);
            }
        }
        return after;
    }

    /** Stops after the admission in flight. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.hardening.operator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A busy namespace is re-audited once it is quiet, and at most once per interval however busy it stays. */
class ChangeDebouncerTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final ChangeDebouncer debouncer = new ChangeDebouncer(Duration.ofSeconds(1), Duration.ofSeconds(5));

    private List<String> flushAt(long now) {
        List<String> due = new ArrayList<>();
        debouncer.flushDue(now, due::add);
        return due;
    }

    @Test
    void aNamespaceIsDueOnceItsChangesHaveBeenQuietForTheDebounce() {
        debouncer.changed("team-a", 0);
        debouncer.changed("team-a", SECOND / 2);

        assertThat(flushAt(SECOND)).as("changed half a second ago").isEmpty();
        assertThat(flushAt(SECOND / 2 + SECOND)).containsExactly("team-a");
        assertThat(flushAt(3 * SECOND)).as("flushed already, no change since").isEmpty();
    }

    @Test
    void aBusyNamespaceIsReauditedAtMostOncePerMinInterval() {
        debouncer.changed("team-a", 0);
        assertThat(flushAt(SECOND)).containsExactly("team-a");

        debouncer.changed("team-a", 2 * SECOND);
        assertThat(flushAt(4 * SECOND)).as("quiet, but re-audited 3 s ago").isEmpty();
        assertThat(flushAt(7 * SECOND)).containsExactly("team-a");
    }

    @Test
    void namespacesAreIndependent() {
        debouncer.changed("team-a", 0);
        debouncer.changed("team-b", 2 * SECOND);

        assertThat(flushAt(SECOND)).containsExactly("team-a");
        assertThat(flushAt(3 * SECOND)).containsExactly("team-b");
    }
}

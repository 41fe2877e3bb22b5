package dev.hardening.cli.fix;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The diff fix and pin print: hunks with three lines of context, as diff -u and git apply read them. */
class UnifiedDiffTest {

    private static String numbered(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i <= to; i++) {
            text.append("line ").append(i).append('\n');
        }
        return text.toString();
    }

    @Test
    void equalTextsGiveNothing() {
        assertThat(UnifiedDiff.of("a/x", "b/x", "same\n", "same\n")).isEmpty();
    }

    @Test
    void distantChangesAreSeparateHunksAndNearOnesOne() {
        String before = numbered(1, 20);
        String after = before.replace("line 2\n", "line 2\nnew after 2\n").replace("line 15\n", "")
                .replace("line 17\n", "line seventeen\n");

        assertThat(UnifiedDiff.of("a/x", "b/x", before, after)).isEqualTo("""
                --- a/x
                +++ b/x
                @@ -1,5 +1,6 @@
                 line 1
                 line 2
                +new after 2
                 line 3
                 line 4
                 line 5
                @@ -12,9 +13,8 @@
                 line 12
                 line 13
                 line 14
                -line 15
                 line 16
                -line 17
                +line seventeen
                 line 18
                 line 19
                 line 20
                """);
    }

    @Test
    void aLastLineWithoutBreakIsMarkedAndCrlfIsKept() {
        assertThat(UnifiedDiff.of("a/x", "b/x", "a: 1\r\nb: 2", "a: 1\r\nb: 3")).isEqualTo(
                "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a: 1\r\n-b: 2\n\\ No newline at end of file\n+b: 3\n\\ No newline at end of file\n");
    }
}

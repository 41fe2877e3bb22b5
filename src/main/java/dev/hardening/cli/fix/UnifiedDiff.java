package dev.hardening.cli.fix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff ({@code diff -u}, three lines of context) of two texts, as {@code patch} and {@code git apply}
 * read it. Lines keep their own line breaks, so a CRLF file gives a CRLF diff body. Myers' algorithm: the cost grows
 * with the number of changed lines, which is small for a fix.
 */
public final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** Empty when the texts are equal. */
    public static String of(String oldName, String newName, String before, String after) {
        if (before.equals(after)) {
            return "";
        }
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<int[]> edits = script(a, b);
        StringBuilder out = new StringBuilder().append("--- ").append(oldName).append('\n')
                .append("+++ ").append(newName).append('\n');
        int i = 0;
        while (i < edits.size()) {
            // a hunk: from the first change, until more than 2 * CONTEXT equal lines follow a change
            int first = i;
            while (first < edits.size() && edits.get(first)[0] == 0) {
                first++;
            }
            if (first == edits.size()) {
                break;
            }
            int start = Math.max(i, first - CONTEXT);
            int end = first;
            int equalRun = 0;
            for (int k = first; k < edits.size(); k++) {
                if (edits.get(k)[0] == 0) {
                    equalRun++;
                    if (equalRun > 2 * CONTEXT) {
                        break;
                    }
                } else {
                    equalRun = 0;
                    end = k;
                }
            }
            int stop = Math.min(edits.size(), end + 1 + CONTEXT);
            hunk(out, edits.subList(start, stop), a, b);
            i = stop;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<int[]> edits, List<String> a, List<String> b) {
        int[] first = edits.get(0);
        int oldCount = 0;
        int newCount = 0;
        for (int[] e : edits) {
            oldCount += e[0] <= 0 ? 1 : 0;
            newCount += e[0] >= 0 ? 1 : 0;
        }
        out.append("@@ -").append(range(first[1], oldCount)).append(" +").append(range(first[2], newCount)).append(" @@\n");
        for (int[] e : edits) {
            String line = e[0] < 0 ? a.get(e[1]) : b.get(e[2]);
            out.append(e[0] < 0 ? '-' : e[0] > 0 ? '+' : ' ').append(line);
            if (!line.endsWith("\n")) {
                out.append("\n\\ No newline at end of file\n");
            }
        }
    }

    private static String range(int index, int count) {
        return (count == 0 ? index : index + 1) + (count == 1 ? "" : "," + count);
    }

    /** Each line with its line break (the last one may have none): a CRLF line differs from an LF one. */
    public static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /**
     * The edit script: {kind, old index, new index} per line, kind 0 equal (both indices), -1 deleted (old index;
     * new index is where it would be), +1 inserted.
     */
    private static List<int[]> script(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int max = n + m;
        int offset = max + 1;
        int[] v = new int[2 * max + 3];
        List<int[]> trace = new ArrayList<>();
        search:
        for (int d = 0; d <= max; d++) {
            trace.add(Arrays.copyOf(v, v.length));
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    trace.add(Arrays.copyOf(v, v.length));
                    break search;
                }
            }
        }
        List<int[]> edits = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = trace.size() - 2; d >= 0 && (x > 0 || y > 0); d--) {
            int[] previous = trace.get(d);
            int k = x - y;
            int prevK = k == -d || (k != d && previous[offset + k - 1] < previous[offset + k + 1]) ? k + 1 : k - 1;
            int prevX = d == 0 ? 0 : previous[offset + prevK];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                edits.add(new int[] {0, --x, --y});
            }
            if (d > 0) {
                if (x == prevX) {
                    edits.add(new int[] {1, x, --y});
                } else {
                    edits.add(new int[] {-1, --x, y});
                }
            }
        }
        while (x > 0 && y > 0) {
            edits.add(new int[] {0, --x, --y});
        }
        java.util.Collections.reverse(edits);
        return edits;
    }
}

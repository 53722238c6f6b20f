package org.openledger.studio.attribution.span;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** The answers the index must give, computed by scanning every row for every substring. */
final class BruteForce {

    private BruteForce() {
    }

    static long count(List<SpanRow> rows, int[] text, int from, int to) {
        long count = 0;
        for (SpanRow row : rows) {
            int[] t = row.tokens();
            for (int p = 0; p + (to - from) <= t.length; p++) {
                if (matchesAt(t, p, text, from, to)) {
                    count++;
                }
            }
        }
        return count;
    }

    static Set<Long> rowsContaining(List<SpanRow> rows, int[] ngram) {
        Set<Long> ids = new LinkedHashSet<>();
        for (SpanRow row : rows) {
            if (count(List.of(row), ngram, 0, ngram.length) > 0) {
                ids.add(row.rowId());
            }
        }
        return ids;
    }

    /**
     * Maximal spans by definition: at each start the longest substring found in some row; filtered; then any
     * kept span contained in another kept span removed (a quadratic check, unlike the index's linear one).
     */
    static List<Span> maximalSpans(List<SpanRow> rows, int[] response, boolean[] wordStart,
                                   MaximalSpans.Options options) {
        List<int[]> candidates = new ArrayList<>(); // {start, end, count}
        for (int start = 0; start < response.length; start++) {
            if (wordStart != null && !wordStart[start]) {
                continue;
            }
            int end = start;
            while (end < response.length && count(rows, response, start, end + 1) > 0) {
                end++;
            }
            long count = count(rows, response, start, end);
            if (end - start >= options.minTokens() && count <= options.maxCount()) {
                candidates.add(new int[] {start, end, (int) count});
            }
        }
        long total = rows.stream().mapToLong(r -> r.tokens().length).sum();
        List<Span> spans = new ArrayList<>();
        for (int[] c : candidates) {
            boolean inside = candidates.stream().anyMatch(o -> o != c && o[0] <= c[0] && c[1] <= o[1]);
            if (inside) {
                continue;
            }
            double rarity = 0;
            for (int i = c[0]; i < c[1]; i++) {
                rarity -= Math.log((double) count(rows, response, i, i + 1) / total);
            }
            int[] ngram = java.util.Arrays.copyOfRange(response, c[0], c[1]);
            spans.add(new Span(c[0], c[1], c[2], rarity, new ArrayList<>(rowsContaining(rows, ngram))));
        }
        spans.sort(Comparator.comparingDouble(Span::rarity).reversed().thenComparingInt(Span::start));
        return spans;
    }

    private static boolean matchesAt(int[] row, int p, int[] text, int from, int to) {
        for (int k = from; k < to; k++) {
            if (row[p + k - from] != text[k]) {
                return false;
            }
        }
        return true;
    }

    /** Random rows over a small alphabet (so matches are common), some of them empty, with ids 1000 + r. */
    static List<SpanRow> randomRows(SplittableRandom random, int rows, int maxLength, int alphabet) {
        List<SpanRow> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int length = random.nextInt(maxLength + 1);
            out.add(new SpanRow(1000L + r, random.ints(length, 0, alphabet).toArray()));
        }
        return out;
    }
}

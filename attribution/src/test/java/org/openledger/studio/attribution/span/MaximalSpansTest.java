package org.openledger.studio.attribution.span;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaximalSpansTest {

    @TempDir
    Path dir;

    /** Same spans in the same order; rows: all of them when few, else {@code maxSources} of the right ones. */
    static void assertSameSpans(List<Span> expected, List<Span> actual, int maxSources, String context) {
        assertEquals(expected.size(), actual.size(), () -> context + "\nexpected " + expected + "\nactual   " + actual);
        for (int k = 0; k < expected.size(); k++) {
            Span e = expected.get(k);
            Span a = actual.get(k);
            String where = context + " span " + k + ": expected " + e + ", actual " + a;
            assertEquals(List.of(e.start(), e.end(), e.count()), List.of(a.start(), a.end(), a.count()), where);
            assertEquals(e.rarity(), a.rarity(), 1e-9, where);
            assertEquals(Math.min(maxSources, e.rows().size()), a.rows().size(), where);
            assertTrue(new HashSet<>(e.rows()).containsAll(a.rows()), where);
            assertEquals(a.rows().size(), new HashSet<>(a.rows()).size(), where);
        }
    }

    /** A response made of random tokens with copies of corpus stretches planted in it. */
    static int[] responseWithPlantedSpans(SplittableRandom random, List<SpanRow> rows, int length, int alphabet) {
        int[] response = random.ints(length, 0, alphabet).toArray();
        for (int plant = 0; plant < 3; plant++) {
            int[] row = rows.get(random.nextInt(rows.size())).tokens();
            if (row.length < 4) {
                continue;
            }
            int from = random.nextInt(row.length / 2);
            int size = Math.min(row.length - from, Math.min(length, 8 + random.nextInt(20)));
            System.arraycopy(row, from, response, random.nextInt(length - size + 1), size);
        }
        return response;
    }

    @Test
    void spansEqualABruteForceScanOnRandomSmallAlphabetCorpora() {
        SplittableRandom random = new SplittableRandom(2024);
        int spansSeen = 0;
        for (int trial = 0; trial < 24; trial++) {
            int alphabet = 2 + trial % 3;
            List<SpanRow> rows = BruteForce.randomRows(random, 24, 40, alphabet);
            SpanIndex index = SpanIndex.open(dir.resolve("t" + trial), alphabet);
            int shards = 1 + trial % 3; // spans must come out the same however the rows are split
            for (int s = 0; s < shards; s++) {
                int from = rows.size() * s / shards;
                index.addShard(rows.subList(from, rows.size() * (s + 1) / shards));
            }
            int[] response = responseWithPlantedSpans(random, rows, 60, alphabet);
            boolean[] wordStart = trial % 2 == 0 ? null : randomMask(random, response.length);
            long maxCount = trial % 4 < 2 ? 10 : MaximalSpans.Options.NO_COUNT_LIMIT;
            var options = new MaximalSpans.Options(3 + trial % 6, maxCount, 1 + trial % 5);
            String context = "trial " + trial + " " + options;
            List<Span> expected = BruteForce.maximalSpans(rows, response, wordStart, options);
            List<Span> actual = MaximalSpans.find(index, response, wordStart, options);
            assertSameSpans(expected, actual, options.maxSources(), context);
            spansSeen += expected.size();
            assertNoSpanInsideAnother(actual);
            index.merge();
            assertSameSpans(expected, MaximalSpans.find(index, response, wordStart, options), options.maxSources(),
                    context + " after merge");
        }
        assertTrue(spansSeen >= 48, "the corpora should produce spans to compare, saw " + spansSeen);
    }

    @Test
    void aPlantedLongSpanIsFoundWholeWithItsRow() {
        SplittableRandom random = new SplittableRandom(9);
        List<SpanRow> rows = BruteForce.randomRows(random, 50, 200, 1_000);
        SpanIndex index = SpanIndex.open(dir.resolve("planted"), 2_000);
        index.addShard(rows);
        int[] response = random.ints(120, 1_000, 2_000).toArray(); // tokens the corpus never uses
        int[] source = rows.get(17).tokens();
        System.arraycopy(source, 30, response, 50, 40);
        List<Span> spans = MaximalSpans.find(index, response);
        assertEquals(1, spans.size(), spans.toString());
        Span span = spans.get(0);
        assertEquals(List.of(50, 90, 1L, List.of(1017L)), List.of(span.start(), span.end(), span.count(), span.rows()));
        assertTrue(span.rarity() > 0, "rarity " + span.rarity());
    }

    @Test
    void aSpanNeverCrossesFromOneRowIntoTheNext() {
        SpanIndex index = SpanIndex.open(dir.resolve("rows"), 20);
        index.addShard(List.of(new SpanRow(1, new int[] {1, 2, 3, 4, 5}), new SpanRow(2, new int[] {6, 7, 8, 9})));
        int[] response = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        var options = new MaximalSpans.Options(2, 10, 5);
        List<Span> spans = MaximalSpans.find(index, response, null, options);
        List<List<Integer>> found = spans.stream().map(s -> List.of(s.start(), s.end())).sorted(
                (a, b) -> a.get(0) - b.get(0)).toList();
        assertEquals(List.of(List.of(0, 5), List.of(5, 9)), found);
    }

    @Test
    void commonPhrasesAreDroppedByTheCountLimitAndKeptWithoutIt() {
        List<SpanRow> rows = new ArrayList<>();
        int[] phrase = IntStream.range(0, 10).toArray();
        for (int r = 0; r < 30; r++) {
            rows.add(new SpanRow(r, phrase));
        }
        SpanIndex index = SpanIndex.open(dir.resolve("common"), 10);
        index.addShard(rows);
        assertEquals(List.of(), MaximalSpans.find(index, phrase));
        var unlimited = new MaximalSpans.Options(8, MaximalSpans.Options.NO_COUNT_LIMIT, 5);
        List<Span> spans = MaximalSpans.find(index, phrase, null, unlimited);
        assertEquals(1, spans.size());
        assertEquals(30, spans.get(0).count());
        assertEquals(5, spans.get(0).rows().size());
    }

    @Test
    void badInputIsRefused() {
        SpanIndex index = SpanIndex.open(dir.resolve("bad"), 10);
        assertThrows(IllegalArgumentException.class, () -> MaximalSpans.find(index, new int[] {10}));
        assertThrows(IllegalArgumentException.class, () -> MaximalSpans.find(index, new int[] {-1}));
        assertThrows(IllegalArgumentException.class,
                () -> MaximalSpans.find(index, new int[] {1, 2}, new boolean[1], MaximalSpans.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> new MaximalSpans.Options(0, 10, 5));
        assertEquals(List.of(), MaximalSpans.find(index, new int[] {1, 2, 3}));
    }

    private static void assertNoSpanInsideAnother(List<Span> spans) {
        for (Span a : spans) {
            for (Span b : spans) {
                assertTrue(a == b || !(b.start() <= a.start() && a.end() <= b.end()), a + " inside " + b);
            }
        }
    }

    private static boolean[] randomMask(SplittableRandom random, int length) {
        boolean[] mask = new boolean[length];
        for (int i = 0; i < length; i++) {
            mask[i] = random.nextInt(3) > 0;
        }
        return mask;
    }
}

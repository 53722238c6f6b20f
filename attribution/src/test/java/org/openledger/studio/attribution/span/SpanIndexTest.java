package org.openledger.studio.attribution.span;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanIndexTest {

    @TempDir
    Path dir;

    private static void assertAnswersLikeBruteForce(SpanIndex index, List<SpanRow> rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int q = 0; q < 200; q++) {
            int[] ngram = random.ints(1 + random.nextInt(5), 0, 3).toArray();
            assertEquals(BruteForce.count(rows, ngram, 0, ngram.length), index.count(ngram));
            Set<Long> expected = BruteForce.rowsContaining(rows, ngram);
            assertEquals(expected, new HashSet<>(index.rows(ngram, Integer.MAX_VALUE)));
            List<Long> three = index.rows(ngram, 3);
            assertEquals(Math.min(3, expected.size()), three.size());
            assertTrue(expected.containsAll(three));
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void severalShardsThenTheMergedOneAnswerLikeABruteForceScan() throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        List<SpanRow> all = new ArrayList<>();
        SpanIndex index = SpanIndex.open(dir, 3);
        for (int s = 0; s < 4; s++) {
            List<SpanRow> batch = BruteForce.randomRows(random, 15, 30, 3);
            all.addAll(batch);
            ShardInfo info = index.addShard(batch);
            assertEquals(batch.size(), info.rows());
        }
        assertEquals(4, index.shards().size());
        assertAnswersLikeBruteForce(index, all, 5);

        ShardInfo merged = index.merge().orElseThrow();
        assertEquals(all.size(), merged.rows());
        assertEquals(1, index.shards().size());
        assertEquals(List.of("manifest", merged.name()), files(dir));
        assertAnswersLikeBruteForce(index, all, 5);
        assertTrue(index.merge().isEmpty(), "one shard needs no merge");

        SpanIndex reopened = SpanIndex.open(dir, 3);
        assertEquals(all.stream().mapToLong(r -> r.tokens().length).sum(), reopened.tokenCount());
        assertAnswersLikeBruteForce(reopened, all, 6);
        reopened.addShard(List.of(new SpanRow(7, new int[] {2, 2})));
        assertEquals(2, SpanIndex.open(dir, 3).shards().size(), "the manifest keeps shards added after a reopen");
    }

    @Test
    void queriesDuringAMergeKeepAnsweringTheSame() throws Exception {
        SplittableRandom random = new SplittableRandom(2);
        SpanIndex index = SpanIndex.open(dir, 3);
        List<SpanRow> all = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            List<SpanRow> batch = BruteForce.randomRows(random, 40, 50, 3);
            all.addAll(batch);
            index.addShard(batch);
        }
        int[][] ngrams = new int[50][];
        long[] expected = new long[ngrams.length];
        for (int q = 0; q < ngrams.length; q++) {
            ngrams[q] = random.ints(1 + random.nextInt(5), 0, 3).toArray();
            expected[q] = BruteForce.count(all, ngrams[q], 0, ngrams[q].length);
        }
        ExecutorService readers = Executors.newFixedThreadPool(2);
        AtomicBoolean merging = new AtomicBoolean(true);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                answers.add(readers.submit(() -> {
                    int checked = 0;
                    while (merging.get() || checked < 500) {
                        int q = checked++ % ngrams.length;
                        assertEquals(expected[q], index.count(ngrams[q]), "n-gram " + q);
                    }
                    return checked;
                }));
            }
            index.merge();
            merging.set(false);
            for (Future<Integer> answer : answers) {
                assertTrue(answer.get() >= 500);
            }
        } finally {
            readers.shutdownNow();
        }
        assertEquals(1, index.shards().size());
    }

    @Test
    void aCorruptedShardOrAnotherVocabularyIsRefusedOnOpen() throws IOException {
        SpanIndex index = SpanIndex.open(dir, 50);
        ShardInfo info = index.addShard(BruteForce.randomRows(new SplittableRandom(4), 10, 20, 50));
        assertThrows(SpanIndexException.class, () -> SpanIndex.open(dir, 51));
        Path shard = dir.resolve(info.name());
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length - 3] ^= 1;
        Files.write(shard, bytes);
        SpanIndexException e = assertThrows(SpanIndexException.class, () -> SpanIndex.open(dir, 50));
        assertTrue(e.getMessage().contains("corrupted"), e.getMessage());
        Files.writeString(dir.resolve("manifest"), "openledger-span-index 1\nvocab 50\nshard shard-000001.span\n");
        e = assertThrows(SpanIndexException.class, () -> SpanIndex.open(dir, 50));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void filesLeftByACrashAreRemovedAndTheirNamesNotReused() throws IOException {
        SpanIndex index = SpanIndex.open(dir, 10);
        index.addShard(List.of(new SpanRow(1, new int[] {1, 2, 3})));
        Files.write(dir.resolve("shard-000009.span.tmp"), new byte[10]);
        Files.write(dir.resolve("shard-000008.span"), new byte[10]);
        SpanIndex reopened = SpanIndex.open(dir, 10);
        assertEquals(List.of("manifest", "shard-000001.span"), files(dir));
        ShardInfo next = reopened.addShard(List.of(new SpanRow(2, new int[] {4})));
        assertEquals("shard-000010.span", next.name());
        assertEquals(List.of(2L), reopened.rows(new int[] {4}, 5));
        assertFalse(reopened.rows(new int[] {1, 2}, 5).isEmpty());
    }
}

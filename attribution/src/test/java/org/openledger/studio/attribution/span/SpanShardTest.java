package org.openledger.studio.attribution.span;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanShardTest {

    @TempDir
    Path dir;

    /** The text the writer builds: rows joined, each followed by the separator {@code vocab}. */
    private static int[] joined(List<SpanRow> rows, int vocab) {
        List<Integer> text = new ArrayList<>();
        for (SpanRow row : rows) {
            for (int t : row.tokens()) {
                text.add(t);
            }
            text.add(vocab);
        }
        return text.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void roundTripKeepsTokensRowsAndTheSuffixArrayAcrossManySmallMapChunks() throws IOException {
        for (int vocab : new int[] {5, 65_535, 70_000}) {
            List<SpanRow> rows = BruteForce.randomRows(new SplittableRandom(vocab), 40, 30, vocab);
            Path file = dir.resolve("s" + vocab + ".span");
            ShardInfo info = SpanShard.write(file, rows, vocab);
            // 64-byte chunks: most 5-byte pointers and many tokens straddle a chunk boundary somewhere.
            SpanShard shard = SpanShard.open(file, 6);
            assertEquals(rows.size(), shard.rowCount());
            assertEquals(info.tokens(), shard.tokenCount());
            assertEquals(Files.size(file), shard.fileBytes());
            for (int r = 0; r < rows.size(); r++) {
                assertEquals(rows.get(r).rowId(), shard.rowId(r));
                assertArrayEquals(rows.get(r).tokens(), shard.rowTokens(r));
            }
            int[] text = joined(rows, vocab);
            int[] sa = SuffixArray.build(text, vocab + 1);
            assertEquals(text.length - rows.size(), shard.tokenCount());
            for (int r = 0; r < shard.tokenCount(); r++) {
                assertEquals(sa[r], shard.suffix(r), "rank " + r);
            }
            for (int p = 0; p < text.length; p++) {
                assertEquals(text[p], shard.token(p));
            }
        }
    }

    @Test
    void countAndRowsEqualABruteForceScanOfTheRows() {
        SplittableRandom random = new SplittableRandom(11);
        List<SpanRow> rows = BruteForce.randomRows(random, 60, 40, 3);
        Path file = dir.resolve("c.span");
        SpanShard.write(file, rows, 3);
        SpanShard shard = SpanShard.open(file);
        for (int q = 0; q < 400; q++) {
            int[] ngram = random.ints(1 + random.nextInt(6), 0, 3).toArray();
            assertEquals(BruteForce.count(rows, ngram, 0, ngram.length), shard.count(ngram));
            var expected = BruteForce.rowsContaining(rows, ngram);
            assertEquals(expected, new HashSet<>(shard.rows(ngram, Integer.MAX_VALUE)));
            List<Long> two = shard.rows(ngram, 2);
            assertEquals(Math.min(2, expected.size()), two.size());
            assertTrue(expected.containsAll(two));
        }
    }

    @Test
    void aMatchNeverRunsFromOneRowIntoTheNext() {
        List<SpanRow> rows = List.of(new SpanRow(1, new int[] {0, 1, 2}), new SpanRow(2, new int[] {3, 4}));
        Path file = dir.resolve("b.span");
        SpanShard.write(file, rows, 5);
        SpanShard shard = SpanShard.open(file);
        assertEquals(1, shard.count(new int[] {1, 2}));
        assertEquals(0, shard.count(new int[] {2, 3}));
        assertEquals(List.of(2L), shard.rows(new int[] {3, 4}, 5));
    }

    @Test
    void aFlippedByteAnywhereOrATruncationIsRefusedOnOpen() throws IOException {
        List<SpanRow> rows = BruteForce.randomRows(new SplittableRandom(3), 20, 20, 100);
        Path file = dir.resolve("x.span");
        SpanShard.write(file, rows, 100);
        byte[] good = Files.readAllBytes(file);
        for (int at : new int[] {0, 20, 57, 64, 65, good.length / 2, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            Files.write(file, bad);
            assertThrows(SpanIndexException.class, () -> SpanShard.open(file), "byte " + at);
        }
        for (int length : new int[] {0, 10, 64, good.length - 8, good.length - 1}) {
            Files.write(file, java.util.Arrays.copyOf(good, length));
            SpanIndexException e = assertThrows(SpanIndexException.class, () -> SpanShard.open(file));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        Files.write(file, good);
        assertEquals(rows.size(), SpanShard.open(file).rowCount());
    }

    @Test
    void aShardIsAtMostNineBytesPerTokenOnDisk() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        List<SpanRow> rows = new ArrayList<>();
        for (int r = 0; r < 2_000; r++) {
            rows.add(new SpanRow(r, random.ints(20 + random.nextInt(60), 0, 50_257).toArray()));
        }
        Path file = dir.resolve("size.span");
        ShardInfo info = SpanShard.write(file, rows, 50_257);
        double perToken = (double) Files.size(file) / info.tokens();
        assertEquals(Files.size(file), info.bytes());
        assertTrue(perToken <= 9.0, "bytes per token " + perToken);
        assertTrue(perToken >= 7.0, "bytes per token " + perToken);
    }

    @Test
    void badTokensAreRefusedWithTheRowNamed() {
        Path file = dir.resolve("bad.span");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpanShard.write(file, List.of(new SpanRow(42, new int[] {1, 9})), 9));
        assertTrue(e.getMessage().contains("row 42"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SpanShard.write(file, List.of(new SpanRow(1, new int[] {-1})), 9));
        SpanShard.write(file, List.of(new SpanRow(1, new int[] {1, 2}), new SpanRow(2, new int[0])), 9);
        SpanShard shard = SpanShard.open(file);
        assertThrows(IllegalArgumentException.class, () -> shard.count(new int[] {9}));
        assertThrows(IllegalArgumentException.class, () -> shard.count(new int[0]));
        assertEquals(0, shard.rowTokens(1).length);
    }

    @Test
    void aFileThatIsNotAShardIsRefused() throws IOException {
        Path file = dir.resolve("junk.span");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[200]));
        }
        SpanIndexException e = assertThrows(SpanIndexException.class, () -> SpanShard.open(file));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }
}

package org.openledger.studio.attribution.span;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.openledger.studio.store.Folders;

/**
 * Measures the span index on a synthetic corpus ({@link SyntheticCorpus}) and prints a report:
 *
 * <ol>
 *   <li>suffix sorting speed: our SA-IS and libdivsufsort on the same byte text (the low byte of each corpus
 *       token; libdivsufsort sorts bytes only), and our SA-IS on the token text itself (alphabet vocab + 1);</li>
 *   <li>bytes per token of the shard on disk;</li>
 *   <li>maximal-span query latency for answers of 256 tokens, half of them with corpus passages pasted in.</li>
 * </ol>
 *
 * <p>Heap: the corpus rows (4 bytes a token) plus one suffix sort at a time (about 10 bytes a token at the
 * peak, 11 for the byte text): 100 M tokens need {@code -Xmx4g}.
 */
public final class SpanBenchmark {

    /**
     * @param tokens       corpus size
     * @param vocab        token ids are {@code 0..vocab-1}
     * @param queries      answers searched for spans
     * @param answerTokens tokens per answer
     * @param seed         everything generated follows from it
     * @param workDir      where the index and the baseline's files go (a fresh sub-folder, removed after)
     */
    public record Options(long tokens, int vocab, int queries, int answerTokens, long seed, Path workDir) {

        public static Options defaults(Path workDir) {
            return new Options(100_000_000, 50_257, 50, 256, 42, workDir);
        }
    }

    private SpanBenchmark() {
    }

    public static void run(Options o, PrintStream out) throws IOException {
        Files.createDirectories(o.workDir());
        Path dir = Files.createTempDirectory(o.workDir(), "span-bench-");
        try {
            measure(o, dir, out);
        } finally {
            Folders.deleteTree(dir);
        }
    }

    private static void measure(Options o, Path dir, PrintStream out) throws IOException {
        out.printf(Locale.ROOT, "span index benchmark: %,d tokens, vocab %,d, %d answers of %d tokens, seed %d%n",
                o.tokens(), o.vocab(), o.queries(), o.answerTokens(), o.seed());
        out.printf(Locale.ROOT, "machine: %s, %d cores, Java %s, max heap %,d MiB%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);

        long start = System.nanoTime();
        SyntheticCorpus corpus = new SyntheticCorpus(o.vocab(), o.seed());
        SplittableRandom random = new SplittableRandom(o.seed());
        List<SpanRow> rows = corpus.rows(o.tokens(), random);
        out.printf(Locale.ROOT, "corpus: %,d rows generated in %.1f s%n", rows.size(), seconds(System.nanoTime() - start));

        compareSorters(rows, dir, out);

        SpanIndex index = SpanIndex.open(dir.resolve("index"), o.vocab());
        ShardInfo shard = index.addShard(rows);
        out.printf(Locale.ROOT, "%n(a) SA-IS on the token text (%,d tokens + %,d row separators, alphabet %,d): "
                        + "%.1f s, %s tokens/s%n", shard.tokens(), shard.rows(), o.vocab() + 1,
                seconds(shard.suffixArrayNanos()), rate(shard.tokens() + shard.rows(), shard.suffixArrayNanos()));
        out.printf(Locale.ROOT, "    shard written (temp file, fsync, rename) in %.1f s%n", seconds(shard.writeNanos()));
        out.printf(Locale.ROOT, "(b) on disk: %,d bytes = %.2f bytes/token (%d-byte tokens, 5-byte pointers, "
                        + "row tables)%n", shard.bytes(), shard.bytesPerToken(), ShardFormat.widthFor(o.vocab()));

        long openStart = System.nanoTime();
        SpanIndex.open(dir.resolve("index"), o.vocab());
        out.printf(Locale.ROOT, "    open with full CRC32C check: %.2f s%n", seconds(System.nanoTime() - openStart));

        queries(o, corpus, rows, index, random, out);
    }

    /** SA-IS and libdivsufsort on one byte text: the low byte of each token, rows back to back. */
    private static void compareSorters(List<SpanRow> rows, Path dir, PrintStream out) {
        long n = rows.stream().mapToLong(r -> r.tokens().length).sum();
        byte[] bytes = new byte[(int) Math.min(n, Integer.MAX_VALUE - 16)];
        int at = 0;
        for (SpanRow row : rows) {
            for (int t : row.tokens()) {
                if (at < bytes.length) {
                    bytes[at++] = (byte) t;
                }
            }
        }
        int[] asInts = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            asInts[i] = bytes[i] & 0xFF;
        }
        long start = System.nanoTime();
        int[] sa = SuffixArray.build(asInts, 256);
        long oursNanos = System.nanoTime() - start;
        asInts = null;
        out.printf(Locale.ROOT, "%nsuffix sorting, one byte text of %,d symbols (each token's low byte), alphabet 256:%n",
                bytes.length);
        out.printf(Locale.ROOT, "    SA-IS (this package, Java, 1 thread):  %6.1f s  %s symbols/s%n",
                seconds(oursNanos), rate(bytes.length, oursNanos));
        DivSufSortBaseline.Result baseline = DivSufSortBaseline.run(bytes, sa, dir);
        if (baseline.ran()) {
            out.printf(Locale.ROOT, "    libdivsufsort 2.0.1 (C, cc -O2):       %6.1f s  %s symbols/s%n",
                    seconds(baseline.nanos()), rate(bytes.length, baseline.nanos()));
            out.printf(Locale.ROOT, "    SA-IS takes %.2fx libdivsufsort's time; suffix arrays identical: %s%n",
                    (double) oursNanos / baseline.nanos(), baseline.sameSuffixArray() ? "yes" : "NO");
        } else {
            out.println("    libdivsufsort " + baseline.note());
        }
    }

    private static void queries(Options o, SyntheticCorpus corpus, List<SpanRow> rows, SpanIndex index,
                                SplittableRandom random, PrintStream out) {
        int[][] answers = new int[o.queries()][];
        for (int q = 0; q < answers.length; q++) {
            answers[q] = corpus.text(o.answerTokens(), random);
            if (q % 2 == 0) {
                pastePassages(answers[q], rows, random);
            }
        }
        for (int warm = 0; warm < Math.min(5, answers.length); warm++) {
            MaximalSpans.find(index, answers[warm]);
        }
        long[] nanos = new long[answers.length];
        long spans = 0;
        long plantedSpans = 0;
        int longest = 0;
        for (int q = 0; q < answers.length; q++) {
            long start = System.nanoTime();
            List<Span> found = MaximalSpans.find(index, answers[q]);
            nanos[q] = System.nanoTime() - start;
            spans += found.size();
            plantedSpans += q % 2 == 0 ? found.size() : 0;
            longest = Math.max(longest, found.stream().mapToInt(Span::length).max().orElse(0));
        }
        Arrays.sort(nanos);
        out.printf(Locale.ROOT, "%n(c) maximal spans of a %d-token answer over %,d tokens (min 8 tokens, count <= 10, "
                + "every position a start; page cache warm, 5 warm-up queries):%n", o.answerTokens(), index.tokenCount());
        out.printf(Locale.ROOT, "    %d answers: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", answers.length,
                millis(percentile(nanos, 0.50)), millis(percentile(nanos, 0.99)), millis(nanos[nanos.length - 1]));
        out.printf(Locale.ROOT, "    spans found: %d (%d in the answers with pasted passages), longest %d tokens%n",
                spans, plantedSpans, longest);

        long[] countNanos = new long[200];
        for (int q = 0; q < countNanos.length; q++) {
            int[] row = rows.get(random.nextInt(rows.size())).tokens();
            int from = random.nextInt(Math.max(1, row.length - 8));
            int[] ngram = Arrays.copyOfRange(row, from, Math.min(row.length, from + 8));
            long start = System.nanoTime();
            index.count(ngram);
            countNanos[q] = System.nanoTime() - start;
        }
        Arrays.sort(countNanos);
        out.printf(Locale.ROOT, "    count() of an 8-gram from the corpus: p50 %.3f ms, p99 %.3f ms%n",
                millis(percentile(countNanos, 0.50)), millis(percentile(countNanos, 0.99)));
    }

    /** Pastes two corpus passages of 12 to 48 tokens into the answer, as a model that quotes its data would. */
    private static void pastePassages(int[] answer, List<SpanRow> rows, SplittableRandom random) {
        for (int k = 0; k < 2; k++) {
            int[] row = rows.get(random.nextInt(rows.size())).tokens();
            int size = Math.min(Math.min(row.length, answer.length / 2), 12 + random.nextInt(37));
            int from = random.nextInt(row.length - size + 1);
            System.arraycopy(row, from, answer, k * answer.length / 2 + random.nextInt(answer.length / 2 - size + 1), size);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static String rate(long items, long nanos) {
        return String.format(Locale.ROOT, "%,.0f", items / (nanos / 1e9));
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}

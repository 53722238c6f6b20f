package org.openledger.studio.datanet.ingest;

/**
 * Reads a generated text of the given size through the text reader and prints rows, MB/s and peak heap. Run in a
 * child JVM with a small heap to prove that memory does not grow with the file:
 * {@code java -Xmx32m -cp ... StreamedIngestProbe BYTES breaks|nobreaks}.
 */
public final class StreamedIngestProbe {

    public static void main(String[] args) {
        long bytes = Long.parseLong(args[0]);
        boolean breaks = !"nobreaks".equals(args[1]);
        PlainTextReader reader = new PlainTextReader(ChunkSettings.DEFAULT, TokenCounter.WORDS, new TextNormaliser());
        long[] rows = {0};
        long[] chars = {0};
        long start = System.nanoTime();
        IngestSummary s = reader.read(new SyntheticText(bytes, breaks), "big.txt", bytes, "me", row -> {
            rows[0]++;
            chars[0] += row.text().length();
        }, ProgressListener.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.out.printf("rows=%d chars=%d seconds=%.2f MBps=%.1f heapMaxMB=%d%n", s.rows(), chars[0], seconds,
                bytes / 1e6 / seconds, rt.maxMemory() >> 20);
    }
}

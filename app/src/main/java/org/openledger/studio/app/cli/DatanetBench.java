package org.openledger.studio.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openledger.studio.datanet.bench.DatanetBenchmark.Report;
import org.openledger.studio.datanet.bench.DatanetBenchmark.Stage;
import org.openledger.studio.datanet.bench.DatanetBenchmark;
import org.openledger.studio.datanet.bench.NearDuplicateAccuracy;
import org.openledger.studio.store.Folders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio bench datanet}: issue 5's benchmark (the engine is {@link DatanetBenchmark}): ingest + check
 * throughput on synthetic rows against a read-and-parse baseline measured in the same run, the workspace's insert and
 * batch check, peak memory, and near-duplicate precision/recall against brute-force exact Jaccard.
 */
@Command(name = "datanet", mixinStandardHelpOptions = true,
        description = "Datanet ingest + check throughput (rows/s, ratio to a read-and-parse baseline), peak memory, and"
                + " near-duplicate precision/recall against brute-force exact Jaccard.")
final class DatanetBench implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "1000000", description = "Synthetic rows (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--dir", description = "Folder for the JSONL file and the workspace (default: a temporary folder,"
            + " deleted afterwards). A given folder is kept.")
    Path dir;

    @Option(names = "--threshold", defaultValue = "0.8",
            description = "Near-duplicate Jaccard threshold (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--pairs", defaultValue = "1000",
            description = "Edited copies in the labelled near-duplicate set (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (rows < 1) {
            throw new UserError("--rows must be at least 1, got " + rows);
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new UserError("--threshold must be above 0 and at most 1, got " + threshold);
        }
        if (pairs < 1) {
            throw new UserError("--pairs must be at least 1, got " + pairs);
        }
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("--dir " + dir + " is a file, not a folder");
        }
        Path folder = dir != null ? dir : Files.createTempDirectory("studio-bench-datanet-");
        try {
            Report r = new DatanetBenchmark(new DatanetBenchmark.Settings(rows, folder, threshold, pairs, seed),
                    System.err::println).run();
            print(r, folder);
            return 0;
        } finally {
            if (dir == null) {
                Folders.deleteQuietly(folder);
            }
        }
    }

    private void print(Report r, Path folder) {
        System.out.printf(Locale.ROOT, "rows: %,d synthetic JSONL rows (3%% exact, 3%% one-word-changed copies), seed %d%n",
                r.rows(), seed);
        System.out.printf(Locale.ROOT, "input: %.1f MB%n", r.inputBytes() / 1e6);
        System.out.println();
        System.out.println("| stage | rows | seconds | CPU seconds | rows/s | vs baseline |");
        System.out.println("|---|---|---|---|---|---|");
        stage("baseline: read + parse JSONL, no checks, no storing", r.baseline(), r);
        stage("ingest + check (hash, MinHash, secrets, quality; one thread, no storing)", r.ingestAndCheck(), r);
        stage("workspace insert (ingest + parallel checks + SQLite insert with FTS5)", r.workspaceAdd(), r);
        stage("batch check (exact + near groups verified, findings, report)", r.batchCheck(), r);
        System.out.println();
        System.out.printf(Locale.ROOT, "batch check found: %,d exact groups, %,d near groups, %,d redundant rows,"
                        + " %,d blocked rows; database %.1f MB%n", r.groups().exactGroups(), r.groups().nearGroups(),
                r.groups().redundantRows(), r.groups().blockedRows(), r.databaseBytes() / 1e6);
        System.out.printf(Locale.ROOT, "peak heap: %.1f MiB (sum of heap pool peaks; max heap %.0f MiB)%n",
                mib(r.peakHeapBytes()), mib(r.maxHeapBytes()));
        System.out.println(r.peakRssBytes() < 0 ? "peak RSS: n/a (no /proc/self/status)"
                : String.format(Locale.ROOT, "peak RSS: %.1f MiB (VmHWM)", mib(r.peakRssBytes())));
        NearDuplicateAccuracy.Result a = r.accuracy();
        System.out.println();
        System.out.printf(Locale.ROOT, "near-duplicates at Jaccard >= %.2f against brute-force exact Jaccard of every"
                        + " pair: %,d texts (%,d edited copies), %,d true pairs; LSH %d bands x %d rows%n",
                a.threshold(), a.texts(), pairs, a.truePairs(), a.banding().bands(), a.banding().rows());
        System.out.println("| detector | precision | recall | pairs reported | correct |");
        System.out.println("|---|---|---|---|---|");
        scores("MinHash/LSH + exact Jaccard verification", a.verified());
        scores("MinHash/LSH, MinHash estimate alone", a.minHashAlone());
        if (dir != null) {
            System.out.println();
            System.out.println("files kept in " + folder);
        }
    }

    private static void stage(String label, Stage s, Report r) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %.2f | %s | %,.0f | %.3f |%n", label, s.rows(), s.seconds(),
                s.cpuSeconds() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", s.cpuSeconds()), s.rowsPerSecond(),
                r.ratio(s));
    }

    private static void scores(String label, NearDuplicateAccuracy.Scores s) {
        System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %,d | %,d |%n", label, s.precision(), s.recall(),
                s.reported(), s.correct());
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}

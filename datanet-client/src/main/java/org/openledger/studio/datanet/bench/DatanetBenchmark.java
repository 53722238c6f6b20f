package org.openledger.studio.datanet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.openledger.studio.datanet.check.CheckReport;
import org.openledger.studio.datanet.check.CheckSummary;
import org.openledger.studio.datanet.check.NearDuplicateSettings;
import org.openledger.studio.datanet.check.RowChecks;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.workspace.ImportResult;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.Workspace;

/**
 * Issue 5's benchmark: ingest + check throughput on synthetic rows, and near-duplicate precision/recall against
 * brute-force exact Jaccard. Stages, one after another in this process, on the same JSONL file:
 * <ol>
 *   <li><b>baseline</b>: read + parse + normalise the JSONL ({@link Ingest}), rows counted and dropped;</li>
 *   <li><b>ingest + check</b>: the same with {@link RowChecks} on every row (hash, MinHash, secrets, quality), one
 *       thread, nothing stored;</li>
 *   <li><b>workspace add</b>: {@link Workspace#add} into a new SQLite workspace (ingest, parallel checks, insert with
 *       the FTS5 index);</li>
 *   <li><b>batch check</b>: {@link Workspace#check} of that batch (exact + near groups verified, findings, report).</li>
 * </ol>
 * Each stage's rows/s is also given as a ratio to the baseline's. Before the baseline, both of the first two stages
 * run once, unmeasured, on up to 20,000 other rows, so that neither is timed while the JIT compiles. Memory: the sum of the heap pools' peaks (reset at
 * the start) and the process's peak resident set ({@code VmHWM}).
 */
public final class DatanetBenchmark {

    static final int WARM_UP_ROWS = 20_000;

    public static final String CONTRIBUTOR = "0x0000000000000000000000000000000000000bec";

    /** What to run. {@code pairs}: edited copies in the labelled near-duplicate set. */
    public record Settings(int rows, Path dir, double threshold, int pairs, long seed) {
        public Settings {
            if (rows < 1) {
                throw new IllegalArgumentException("--rows must be at least 1, got " + rows);
            }
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("--threshold must be above 0 and at most 1, got " + threshold);
            }
            if (pairs < 1) {
                throw new IllegalArgumentException("--pairs must be at least 1, got " + pairs);
            }
        }
    }

    /** One stage: rows handled, wall and process CPU seconds. */
    public record Stage(String name, long rows, double seconds, double cpuSeconds) {
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /**
     * Everything measured. {@code peakRssBytes} is -1 where {@code /proc/self/status} is missing (not Linux).
     */
    public record Report(int rows, long inputBytes, Stage baseline, Stage ingestAndCheck, Stage workspaceAdd,
                         Stage batchCheck, CheckSummary groups, long databaseBytes, long peakHeapBytes,
                         long maxHeapBytes, long peakRssBytes, NearDuplicateAccuracy.Result accuracy) {
        public double ratio(Stage s) {
            return s.rowsPerSecond() / baseline.rowsPerSecond();
        }
    }

    private final Settings settings;
    private final Consumer<String> progress;

    public DatanetBenchmark(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Report run() throws IOException {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        Path dir = Files.createDirectories(settings.dir());
        Path data = dir.resolve("rows.jsonl");
        Path db = dir.resolve("workspace.db");
        for (String f : List.of("workspace.db", "workspace.db-wal", "workspace.db-shm")) {
            Files.deleteIfExists(dir.resolve(f));
        }
        progress.accept("writing " + settings.rows() + " synthetic rows to " + data);
        SyntheticRows.write(data, settings.rows(), settings.seed());
        long inputBytes = Files.size(data);

        // warm-up, unmeasured: the JIT compiles the reading and checking code before either stage is timed, so the
        // baseline (timed first) is not charged for it
        Path warmUp = dir.resolve("warm-up.jsonl");
        SyntheticRows.write(warmUp, Math.min(settings.rows(), WARM_UP_ROWS), settings.seed() + 1);
        count(warmUp, null);
        count(warmUp, new RowChecks());
        Files.delete(warmUp);

        progress.accept("baseline: read + parse, no checks, no storing");
        Stage baseline = timed("baseline", () -> count(data, null));
        progress.accept("ingest + row checks, one thread, no storing");
        RowChecks checks = new RowChecks();
        Stage ingestAndCheck = timed("ingest + check", () -> count(data, checks));

        Stage add;
        Stage check;
        CheckSummary groups;
        try (Workspace ws = Workspace.open(db)) {
            long datanet = ws.datanets().create(new NewDatanet("bench", "", "", List.of(), "MIT", CONTRIBUTOR)).id();
            progress.accept("workspace add: ingest + checks + SQLite insert with FTS5");
            ImportResult[] imported = new ImportResult[1];
            add = timed("workspace add", () -> {
                imported[0] = ws.add(datanet, List.of(data), CONTRIBUTOR, new Ingest(), ProgressListener.NONE);
                if (!imported[0].failures().isEmpty()) {
                    throw new IllegalStateException("the synthetic file could not be added: " + imported[0].failures());
                }
                return imported[0].newRows();
            });
            progress.accept("batch check: exact + near groups, findings, report");
            CheckReport[] report = new CheckReport[1];
            check = timed("batch check", () -> {
                report[0] = ws.check(imported[0].batchId(), settings.threshold());
                return report[0].summary().rows();
            });
            groups = report[0].summary();
        }
        long dbBytes = Files.size(db) + sizeIfAny(dir.resolve("workspace.db-wal"));

        progress.accept("near-duplicate precision/recall: " + settings.pairs() + " edited copies, brute-force Jaccard");
        NearDuplicateAccuracy.Result accuracy = NearDuplicateAccuracy.measure(
                LabelledNearDuplicates.generate(settings.pairs(), settings.seed()),
                NearDuplicateSettings.DEFAULT.withThreshold(settings.threshold()));
        return new Report(settings.rows(), inputBytes, baseline, ingestAndCheck, add, check, groups, dbBytes,
                peakHeap(), Runtime.getRuntime().maxMemory(), peakRss(), accuracy);
    }

    private static long count(Path data, RowChecks checks) {
        long[] n = {0};
        new Ingest().read(data, CONTRIBUTOR, row -> {
            if (checks != null) {
                checks.check(row.text());
            }
            n[0]++;
        }, ProgressListener.NONE);
        return n[0];
    }

    private interface Work {
        long rows() throws IOException;
    }

    private static Stage timed(String name, Work work) throws IOException {
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        long rows = work.rows();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = cpu0 < 0 ? -1 : (cpu() - cpu0) / 1e9;
        return new Stage(name, rows, seconds, cpuSeconds);
    }

    /** CPU time of the whole process (all threads) in nanoseconds, or -1 where the JVM does not say. */
    private static long cpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Sum of the heap pools' peak usage since the start of {@link #run()} (peaks of different moments: an upper bound). */
    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The process's peak resident set ({@code VmHWM} of {@code /proc/self/status}) in bytes, or -1 without it. */
    static long peakRss() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // kB
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static long sizeIfAny(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

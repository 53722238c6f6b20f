package org.openledger.studio.datanet.workspace;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openledger.studio.datanet.check.CheckReport;
import org.openledger.studio.datanet.check.RowChecks;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;

/**
 * Ingest + check + store throughput on synthetic rows, then the batch's redundancy report. Run by hand:
 * {@code java -Xmx1g -cp <test classpath> org.openledger.studio.datanet.workspace.WorkspaceBenchmark 1000000 /tmp/bench}
 */
public final class WorkspaceBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "target/bench"));
        Path data = dir.resolve("rows.jsonl");
        Path db = dir.resolve("workspace.db");
        Files.deleteIfExists(db);
        Files.deleteIfExists(dir.resolve("workspace.db-wal"));
        Files.deleteIfExists(dir.resolve("workspace.db-shm"));
        SyntheticRows.write(data, rows, 1);
        System.out.printf("input: %d rows, %.1f MB%n", rows, Files.size(data) / 1e6);
        RowChecks checks = new RowChecks();
        long[] counted = {0};
        long cpu0 = cpu();
        long t = System.nanoTime();
        new Ingest().read(data, "0xabc", row -> {
            checks.check(row.text());
            counted[0]++;
        }, ProgressListener.NONE);
        double readAndCheck = (System.nanoTime() - t) / 1e9;
        double readAndCheckCpu = (cpu() - cpu0) / 1e9;
        System.out.printf("ingest + row checks only, one thread, no storing: %.1f s wall, %.1f s CPU = %.0f rows/CPU-s%n",
                readAndCheck, readAndCheckCpu, counted[0] / readAndCheckCpu);
        try (Workspace ws = Workspace.open(db)) {
            long datanet = ws.datanets().create(new NewDatanet("bench", "", "", List.of(), "MIT", "0xabc")).id();
            long c0 = cpu();
            long t0 = System.nanoTime();
            ImportResult r = ws.add(datanet, List.of(data), "0xabc", new Ingest(), ProgressListener.NONE);
            double add = (System.nanoTime() - t0) / 1e9;
            double addCpu = (cpu() - c0) / 1e9;
            long c1 = cpu();
            long t1 = System.nanoTime();
            CheckReport report = ws.check(r.batchId());
            double check = (System.nanoTime() - t1) / 1e9;
            double checkCpu = (cpu() - c1) / 1e9;
            System.out.printf("add (ingest + row checks + store): %d rows in %.1f s = %.0f rows/s (CPU %.1f s)%n",
                    r.newRows(), add, r.newRows() / add, addCpu);
            System.out.printf("check (exact + near duplicates, findings, report): %.1f s = %.0f rows/s (CPU %.1f s)%n",
                    check, rows / check, checkCpu);
            System.out.printf("total: %.0f rows/s; groups exact %d near %d, redundant rows %d, blocked %d%n",
                    rows / (add + check), report.summary().exactGroups(), report.summary().nearGroups(),
                    report.summary().redundantRows(), report.summary().blockedRows());
            System.out.printf("database: %.1f MB; peak heap %.0f MB (max %d MB)%n", Files.size(db) / 1e6,
                    peakHeap() / 1e6, Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    /** CPU time of the whole process (all threads), in nanoseconds: a fair measure on a busy shared machine. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}

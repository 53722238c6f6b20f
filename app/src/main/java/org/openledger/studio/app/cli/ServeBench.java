package org.openledger.studio.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.app.load.ServeReport;
import org.openledger.studio.app.load.ServeRun;
import org.openledger.studio.app.load.SoakReport;
import org.openledger.studio.app.load.SoakRun;
import org.openledger.studio.store.Folders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio bench serve}: many adapters on one node under concurrent Zipf traffic, against the base model
 * alone and a naive per-request adapter loader, all in one run (docs/BENCHMARKS.md, decision 26).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serving throughput with K distinct rank-16 adapters under Zipf traffic from concurrent clients,"
                + " against the base model alone and a naive node that loads every request's adapter; TTFT, decode"
                + " tokens/s per client, cold loads, memory per adapter per tier, batch-1 decode against the"
                + " memory-copy bandwidth. Starts its own nodes on loopback. With --soak-minutes: a soak of the tiered"
                + " node alone while adapters are deleted and registered under the traffic; exits 1 on any 5xx, an"
                + " incomplete answer, a deleted adapter still served, a thread or descriptor leak, or growing"
                + " memory.")
final class ServeBench implements Callable<Integer> {

    @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--adapters", split = ",", defaultValue = "1,8,64,512,1000",
            description = "Adapter counts K, one point each; a soak serves the largest (default: ${DEFAULT-VALUE}).")
    int[] adapters;

    @Option(names = "--disk-tier", defaultValue = "0", description = "Add a point with this many adapters, more than"
            + " the host tier holds, e.g. 5000 (default: none).")
    int diskTier;

    @Option(names = "--seconds", defaultValue = "60", description = "Measured seconds per point (default: "
            + "${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup-seconds", description = "Unmeasured seconds before each point (default: 20% of "
            + "--seconds, at least 1).")
    Integer warmupSeconds;

    @Option(names = "--zipf", defaultValue = "1.0", description = "Zipf exponent of the traffic over adapters; 0 is"
            + " uniform (default: ${DEFAULT-VALUE}).")
    double zipf;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the adapters and the traffic (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rank", defaultValue = "16", description = "Adapter rank (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--max-tokens", defaultValue = "32", description = "Tokens per completion (default: "
            + "${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--max-batch", defaultValue = "32", description = "--max-batch of both nodes (default: "
            + "${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--naive-max-batch", description = "--max-batch of the naive node (default: --max-batch; 1 for a"
            + " server that also runs one request at a time).")
    Integer naiveMaxBatch;

    @Option(names = "--model", description = "A model folder to serve (default: the bundled model).")
    Path model;

    @Option(names = "--node-heap", defaultValue = "2g", description = "-Xmx of each node (default: ${DEFAULT-VALUE}).")
    String nodeHeap;

    @Option(names = "--adapter-host-bytes", defaultValue = "" + (1L << 30), description = "The tiered node's host "
            + "tier bound; must fit in --node-heap (default: ${DEFAULT-VALUE}, 1 GiB).")
    long adapterHostBytes;

    @Option(names = "--adapter-device-bytes", defaultValue = "0", description = "The tiered node's device bound "
            + "(default: the node's own).")
    long adapterDeviceBytes;

    @Option(names = "--max-adapters-on-device", defaultValue = "0", description = "The tiered node's device bound by"
            + " count (default: the node's own).")
    int maxAdaptersOnDevice;

    @Option(names = "--copy-mib", defaultValue = "256", description = "Buffer of the memory-copy baseline in MiB "
            + "(default: ${DEFAULT-VALUE}).")
    int copyMiB;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu, gpu:N or auto.")
    String device;

    @Option(names = "--soak-minutes", description = "Run a soak of this many minutes instead of the points (e.g. "
            + "5; fractions allowed).")
    Double soakMinutes;

    @Option(names = "--churn-per-minute", defaultValue = "60", description = "Soak: adapters deleted a minute, each"
            + " replaced by a newly registered one; 0 for none (default: ${DEFAULT-VALUE}).")
    int churnPerMinute;

    @Option(names = "--settle-seconds", defaultValue = "75", description = "Soak: longest idle wait afterwards for "
            + "the node's threads and descriptors to come back (default: ${DEFAULT-VALUE}, as bench load).")
    int settleSeconds;

    @Option(names = "--thread-tolerance", defaultValue = "16", description = "Soak: threads the node may have gained"
            + " after the settle over its count after the warm-up (default: ${DEFAULT-VALUE}).")
    int threadTolerance;

    @Option(names = "--fd-tolerance", defaultValue = "32", description = "Soak: open descriptors it may have gained"
            + " (default: ${DEFAULT-VALUE}).")
    int fdTolerance;

    @Option(names = "--rss-growth", defaultValue = "0.15", description = "Soak: fraction by which the mean resident "
            + "memory of the last quarter may exceed the first quarter's, plus 64 MiB (default: ${DEFAULT-VALUE}).")
    double rssGrowth;

    @Option(names = "--out", defaultValue = ".", description = "Folder for bench-serve.json and bench-serve.md "
            + "(default: the current folder).")
    Path out;

    @Option(names = "--dir", description = "Work folder for the nodes and adapters (default: a temporary folder, "
            + "deleted afterwards).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (soakMinutes != null) {
            return soak();
        }
        ServeRun.Settings s = settings();
        ServeReport report = inWorkFolder("studio-bench-serve-", work -> new ServeRun(s, ServeBench::progress)
                .run(work));
        report.print(System.out);
        report.write(out);
        System.err.println("bench serve: wrote " + out.resolve("bench-serve.json") + " and bench-serve.md");
        return report.serverErrors() == 0 ? 0 : 1;
    }

    /** {@code --soak-minutes}: the tiered node alone, under churn, for minutes (SoakRun). */
    private int soak() throws Exception {
        SoakRun.Settings s = soakSettings();
        SoakReport report = inWorkFolder("studio-bench-soak-", work -> new SoakRun(s, ServeBench::progress)
                .run(work));
        report.print(System.out);
        report.write(out);
        System.err.println("bench serve: wrote " + out.resolve("bench-soak.json") + " and bench-soak.md");
        return report.passed() ? 0 : 1;
    }

    /** A run's work, in {@code --dir} or in a temporary folder deleted afterwards; bad settings are a UserError. */
    private <R> R inWorkFolder(String prefix, Work<R> run) throws Exception {
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory(prefix) : dir;
        try {
            return run.in(work);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } finally {
            if (temporary) {
                Folders.deleteQuietly(work);
            }
        }
    }

    private interface Work<R> {
        R in(Path folder) throws Exception;
    }

    private static void progress(String line) {
        System.err.println("bench serve: " + line);
    }

    SoakRun.Settings soakSettings() {
        if (!(soakMinutes > 0) || soakMinutes > 24 * 60) {
            throw new UserError("--soak-minutes must be above 0 and at most 1440, not " + soakMinutes);
        }
        if (churnPerMinute < 0 || churnPerMinute > 60_000) {
            throw new UserError("--churn-per-minute must be between 0 and 60000, not " + churnPerMinute);
        }
        if (settleSeconds < 0 || threadTolerance < 0 || fdTolerance < 0 || !(rssGrowth >= 0)) {
            throw new UserError("--settle-seconds and the tolerances must not be negative");
        }
        Duration soak = Duration.ofMillis(Math.max(1_000, Math.round(soakMinutes * 60_000)));
        if (warmupSeconds == null) {
            warmupSeconds = (int) Math.max(5, Math.min(60, soak.toSeconds() / 10));
        }
        ServeRun.Settings serve = settings();
        serve = new ServeRun.Settings(serve.model(), serve.clients(), serve.warmup(), soak, serve.adapterCounts(),
                serve.zipf(), serve.seed(), serve.rank(), serve.maxTokens(), serve.maxBatch(), serve.naiveMaxBatch(),
                serve.nodeHeap(), serve.adapterHostBytes(), serve.adapterDeviceBytes(), serve.maxAdaptersOnDevice(),
                serve.copyMiB(), serve.device());
        return new SoakRun.Settings(serve, churnPerMinute, Duration.ofSeconds(settleSeconds), threadTolerance,
                fdTolerance, rssGrowth, 64L << 20);
    }

    ServeRun.Settings settings() {
        if (clients < 1 || clients > 1024) {
            throw new UserError("--clients must be between 1 and 1024, not " + clients);
        }
        if (seconds < 1 || warmupSeconds != null && warmupSeconds < 0) {
            throw new UserError("--seconds must be at least 1 and --warmup-seconds not negative");
        }
        int[] ks = diskTier > 0 ? Arrays.copyOf(adapters, adapters.length + 1) : adapters.clone();
        if (diskTier > 0) {
            ks[ks.length - 1] = diskTier;
        }
        Arrays.sort(ks);
        if (ks.length == 0 || ks[0] < 1 || ks[ks.length - 1] > 100_000
                || Arrays.stream(ks).distinct().count() != ks.length) {
            throw new UserError("--adapters must be distinct counts from 1 to 100000, not " + Arrays.toString(ks));
        }
        if (!(zipf >= 0) || Double.isInfinite(zipf)) {
            throw new UserError("--zipf must be a finite number >= 0, not " + zipf);
        }
        if (rank < 1 || maxTokens < 2 || maxBatch < 1 || naiveMaxBatch != null && naiveMaxBatch < 1) {
            throw new UserError("--rank and --max-batch must be at least 1, --max-tokens at least 2");
        }
        if (adapterHostBytes < 1 || adapterDeviceBytes < 0 || maxAdaptersOnDevice < 0) {
            throw new UserError("--adapter-host-bytes must be positive, the device bounds not negative");
        }
        if (model != null && !Files.isDirectory(model)) {
            throw new UserError("--model " + model + " is not a folder");
        }
        int warm = warmupSeconds != null ? warmupSeconds : Math.max(1, seconds / 5);
        return new ServeRun.Settings(model == null ? null : model.toAbsolutePath(), clients, Duration.ofSeconds(warm),
                Duration.ofSeconds(seconds), List.of(Arrays.stream(ks).boxed().toArray(Integer[]::new)), zipf, seed,
                rank, maxTokens, maxBatch, naiveMaxBatch != null ? naiveMaxBatch : maxBatch, nodeHeap,
                adapterHostBytes, adapterDeviceBytes, maxAdaptersOnDevice, copyMiB, device);
    }
}

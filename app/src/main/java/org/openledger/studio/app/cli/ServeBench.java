package org.openledger.studio.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.app.load.ServeReport;
import org.openledger.studio.app.load.ServeRun;
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
                + " memory-copy bandwidth. Starts its own nodes on loopback.")
final class ServeBench implements Callable<Integer> {

    @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--adapters", split = ",", defaultValue = "1,8,64,512,1000",
            description = "Adapter counts K, one point each (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--out", defaultValue = ".", description = "Folder for bench-serve.json and bench-serve.md "
            + "(default: the current folder).")
    Path out;

    @Option(names = "--dir", description = "Work folder for the nodes and adapters (default: a temporary folder, "
            + "deleted afterwards).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        ServeRun.Settings s = settings();
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("studio-bench-serve-") : dir;
        ServeReport report;
        try {
            report = new ServeRun(s, line -> System.err.println("bench serve: " + line)).run(work);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } finally {
            if (temporary) {
                Folders.deleteQuietly(work);
            }
        }
        report.print(System.out);
        report.write(out);
        System.err.println("bench serve: wrote " + out.resolve("bench-serve.json") + " and bench-serve.md");
        return report.serverErrors() == 0 ? 0 : 1;
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

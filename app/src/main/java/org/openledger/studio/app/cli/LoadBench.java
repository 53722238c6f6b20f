package org.openledger.studio.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.openledger.studio.app.load.LoadReport;
import org.openledger.studio.app.load.LoadRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio bench load}: many clients at once against a node; fails on any 5xx, a leak or growing memory. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load and soak a node: completions and chats (streamed and not), fine-tuning jobs with their "
                + "event streams, Datanet uploads and reads, all at once, plus a slow reader and clients that leave "
                + "mid-answer. Starts its own node on loopback unless --node is given. Exits 1 on any 5xx, a thread "
                + "or descriptor leak, or resident memory that keeps growing.")
final class LoadBench implements Callable<Integer> {

    @Option(names = "--clients", defaultValue = "64", description = "Clients at once (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--minutes", description = "Minutes of load after the warm-up (default: 5).")
    Double minutes;

    @Option(names = "--seconds", description = "Seconds of load after the warm-up, instead of --minutes.")
    Integer seconds;

    @Option(names = "--warmup-seconds", description = "Warm-up at full load, not counted (default: 10% of the run, "
            + "at least 5).")
    Integer warmupSeconds;

    @Option(names = "--max-tokens", defaultValue = "24", description = "max_tokens of the well-behaved clients' "
            + "completions (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--settle-seconds", defaultValue = "75", description = "Longest idle wait after the load for "
            + "threads and descriptors to come back (default: ${DEFAULT-VALUE}: longer than the node's idle pools keep "
            + "threads, 30 s for HTTP workers and 60 s for inference calls).")
    int settleSeconds;

    @Option(names = "--thread-tolerance", defaultValue = "16", description = "Threads the node may have gained "
            + "after the settle over its count after the warm-up (default: ${DEFAULT-VALUE}).")
    int threadTolerance;

    @Option(names = "--fd-tolerance", defaultValue = "32", description = "Open descriptors it may have gained "
            + "(default: ${DEFAULT-VALUE}).")
    int fdTolerance;

    @Option(names = "--rss-growth", defaultValue = "0.15", description = "Fraction by which the mean resident memory "
            + "of the load's last quarter may exceed its first quarter's, plus 64 MiB (default: ${DEFAULT-VALUE}).")
    double rssGrowth;

    @Option(names = "--node-heap", defaultValue = "768m", description = "-Xmx of the node this command starts "
            + "(default: ${DEFAULT-VALUE}).")
    String nodeHeap;

    @Option(names = "--node", description = "URL of a running node to load instead of starting one (with --token).")
    String node;

    @Option(names = "--token", description = "The token of --node.")
    String token;

    @Option(names = "--dir", description = "Folder for the node and the uploaders' workspaces (default: a temporary "
            + "folder, deleted afterwards).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || clients > 1024) {
            throw new UserError("--clients must be between 1 and 1024, not " + clients);
        }
        if (minutes != null && seconds != null) {
            throw new UserError("give --minutes or --seconds, not both");
        }
        Duration duration = seconds != null ? Duration.ofSeconds(seconds)
                : Duration.ofMillis((long) ((minutes != null ? minutes : 5.0) * 60_000));
        if (duration.toSeconds() < 4) {
            throw new UserError("the load must run at least 4 seconds");
        }
        if ((node == null) != (token == null)) {
            throw new UserError("--node and --token go together");
        }
        Duration warmup = Duration.ofSeconds(warmupSeconds != null ? warmupSeconds
                : Math.max(5, duration.toSeconds() / 10));
        if (maxTokens < 1 || settleSeconds < 0 || threadTolerance < 0 || fdTolerance < 0 || rssGrowth < 0) {
            throw new UserError("--max-tokens must be at least 1; tolerances and --settle-seconds not negative");
        }
        LoadRun run = new LoadRun(new LoadRun.Settings(clients, duration, warmup, maxTokens,
                Duration.ofSeconds(settleSeconds), threadTolerance, fdTolerance, rssGrowth, 64L << 20, nodeHeap));
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("studio-load-") : dir;
        LoadReport report;
        try {
            report = node != null ? run.run(nodeUrl(node), token, work, -1) : run.runOnOwnNode(work);
        } finally {
            if (temporary) {
                org.openledger.studio.store.Folders.deleteQuietly(work);
            }
        }
        report.print(System.out);
        return report.passed() ? 0 : 1;
    }

    private static java.net.URI nodeUrl(String url) {
        try {
            return org.openledger.studio.api.NodeClient.parseBaseUrl(url);
        } catch (RuntimeException e) {
            throw new UserError("--node " + url + " is not a node URL: " + e.getMessage());
        }
    }
}

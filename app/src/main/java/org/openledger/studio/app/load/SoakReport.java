package org.openledger.studio.app.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.adapters.AdapterList;

/**
 * What a soak found and its verdict. It passes when every answer was a complete 200 stream, a clean 429, or a clean
 * 404 for an adapter deleted under it; the node counted no 5xx; the churn registered and deleted adapters (when
 * asked to) without an error; no deleted adapter is listed or served; the node lists K adapters at the end; its
 * threads and descriptors came back within tolerance of their post-warm-up figures with no row left; and its
 * resident memory was flat (the last quarter's mean within {@code rssGrowth} plus slack of the first quarter's).
 */
public record SoakReport(SoakRun.Settings settings, long pid, ServeLoad.Stats stats, AdapterChurn.Summary churn,
                         NodeGauges.Scrape fresh, NodeGauges.Scrape warm, NodeGauges.Scrape after,
                         List<NodeGauges.Scrape> samples, List<AdapterList.Tier> tiers, int listedAdapters,
                         List<String> stillServed, double loadBefore, double loadAfter) {

    /** Why the soak failed; empty when it passed. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (stats.requests() == 0) {
            out.add("no request was answered");
        }
        if (stats.serverErrors() > 0) {
            out.add(stats.serverErrors() + " answer(s) with a 5xx status or an error inside the stream");
        }
        if (fiveXxByNode() > 0) {
            out.add(fiveXxByNode() + " 5xx answer(s) counted by the node");
        }
        if (stats.incomplete() + stats.ioErrors() > 0) {
            out.add(stats.incomplete() + " incomplete answer(s), " + stats.ioErrors() + " request(s) without an answer");
        }
        if (stats.clientErrors() > 0) {
            out.add(stats.clientErrors() + " answer(s) with a 4xx other than 404 and 429");
        }
        if (!churn.failures().isEmpty()) {
            out.add(churn.failures().size() + " churn call(s) failed, " + churn.serverErrors() + " with a 5xx");
        }
        if (settings.churnPerMinute() > 0 && settings.serve().window().toMillis() * settings.churnPerMinute() >= 60_000
                && (churn.registrations() == 0 || churn.deletions() == 0)) {
            out.add("the churn did not both delete and register an adapter");
        }
        if (!stillServed.isEmpty()) {
            out.add(stillServed.size() + " deleted adapter(s) still served");
        }
        if (listedAdapters != settings.adapters()) {
            out.add("the node lists " + listedAdapters + " adapters at the end, not " + settings.adapters());
        }
        if (threadsGrown() > settings.threadTolerance()) {
            out.add("threads grew by " + threadsGrown() + " (tolerance " + settings.threadTolerance() + ")");
        }
        if (fdsGrown() > settings.fdTolerance()) {
            out.add("open descriptors grew by " + fdsGrown() + " (tolerance " + settings.fdTolerance() + ")");
        }
        if (after.get("studio_inference_active_rows") > 0) {
            out.add((long) after.get("studio_inference_active_rows") + " row(s) still active after the settle");
        }
        if (rssUnbounded()) {
            out.add(String.format(Locale.ROOT, "resident memory grew: mean %.1f MiB in the last quarter against %.1f"
                    + " MiB in the first, of which the host tier %.1f MiB", mib(rssMean(false)), mib(rssMean(true)),
                    mib(hostTierGrowth())));
        }
        return out;
    }

    public boolean passed() {
        return problems().isEmpty();
    }

    public long threadsGrown() {
        return after.threads() - warm.threads();
    }

    public long fdsGrown() {
        return after.openFds() - warm.openFds();
    }

    public double rssMean(boolean first) {
        return NodeGauges.rssMean(samples, first);
    }

    /**
     * Whether resident memory grew beyond what the bound allows: the last quarter's mean above the first quarter's
     * by more than {@code rssGrowth} plus slack, plus what the host tier (bounded by {@code --adapter-host-bytes})
     * filled meanwhile, as adapters of the Zipf tail and new registrations are first loaded.
     */
    public boolean rssUnbounded() {
        return NodeGauges.rssGrew(samples, settings.rssGrowth(),
                settings.rssSlackBytes() + Math.max(0, hostTierGrowth()));
    }

    /** Mean bytes of the host tier in the last quarter of the samples less the first quarter's. */
    public double hostTierGrowth() {
        return NodeGauges.quarterMean(samples, false, SoakReport::hostTierBytes)
                - NodeGauges.quarterMean(samples, true, SoakReport::hostTierBytes);
    }

    private static double hostTierBytes(NodeGauges.Scrape s) {
        double v = s.get("studio_adapter_tier_bytes{tier=\"host\"}");
        return Double.isNaN(v) ? 0 : v;
    }

    /** Mean resident bytes of the samples in each minute of the load (the last minute may be partial). */
    public List<Double> rssByMinute() {
        List<Double> out = new ArrayList<>();
        if (samples.isEmpty()) {
            return out;
        }
        long t0 = samples.get(0).atNanos();
        double sum = 0;
        int n = 0;
        int minute = 0;
        for (NodeGauges.Scrape x : samples) {
            int m = (int) ((x.atNanos() - t0) / 60_000_000_000L);
            if (m != minute && n > 0) {
                out.add(sum / n);
                sum = 0;
                n = 0;
            }
            minute = m;
            sum += x.residentBytes();
            n++;
        }
        out.add(sum / n);
        return out;
    }

    public long fiveXxByNode() {
        return (long) (after.requests(s -> s >= 500) - fresh.requests(s -> s >= 500));
    }

    public String markdown() {
        ServeRun.Settings s = settings.serve();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "soak: %d clients, streamed completions of %d tokens (end of text "
                        + "suppressed), Zipf s=%.2f over %d rank-%d adapters, %.1f min after a %d s warm-up, churn %d "
                        + "deletions + registrations a minute, --max-batch %d, node pid %d%n", s.clients(),
                s.maxTokens(), s.zipf(), settings.adapters(), s.rank(), s.window().toMillis() / 60_000.0,
                s.warmup().toSeconds(), settings.churnPerMinute(), s.maxBatch(), pid));
        b.append(String.format(Locale.ROOT, "machine: %s, %d cores; load average %.2f before, %.2f after%n",
                ServeReport.cpu(), Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter));
        b.append(String.format(Locale.ROOT, "requests: %d complete 200 (%d tokens, %.0f tok/s), %d clean 404 (adapter "
                        + "deleted), %d clean 429, %d 5xx (node counted %d), %d other 4xx, %d incomplete, %d without "
                        + "an answer%n", stats.requests(), stats.tokens(), stats.tokensPerSecond(), stats.notFound(),
                stats.tooBusy(), stats.serverErrors(), fiveXxByNode(), stats.clientErrors(), stats.incomplete(),
                stats.ioErrors()));
        if (stats.firstFailure() != null) {
            b.append("first failure: ").append(clip(stats.firstFailure())).append(System.lineSeparator());
        }
        b.append(String.format(Locale.ROOT, "latency of a complete request p50 %.0f ms, p99 %.0f ms; TTFT p50 %.0f ms,"
                        + " p99 %.0f ms%n", ServeRun.percentile(stats.latencyMs(), 50),
                ServeRun.percentile(stats.latencyMs(), 99), ServeRun.percentile(stats.ttftMs(), 50),
                ServeRun.percentile(stats.ttftMs(), 99)));
        b.append(String.format(Locale.ROOT, "churn: %d registrations, %d deletions, %d deletes refused in use (409) and"
                        + " retried, %d still refused at the end, %d failed calls; deleted adapters still served: %d%n",
                churn.registrations(), churn.deletions(), churn.inUseRetries(), churn.pendingAtEnd(),
                churn.failures().size(), stillServed.size()));
        churn.failures().stream().limit(10).forEach(f -> b.append("  ").append(clip(f)).append(System.lineSeparator()));
        stillServed.stream().limit(10).forEach(f -> b.append("  still served: ").append(f)
                .append(System.lineSeparator()));
        if (!samples.isEmpty()) {
            b.append(String.format(Locale.ROOT, "node RSS under load (%d samples every 2 s): mean of the first quarter "
                            + "%.1f MiB, last quarter %.1f MiB, max %.1f MiB; after settle %.1f MiB; host tier %.1f ->"
                            + " %.1f MiB (bound %.0f MiB)%n", samples.size(), mib(rssMean(true)), mib(rssMean(false)),
                    mib(samples.stream().mapToLong(NodeGauges.Scrape::residentBytes).max().orElse(0)),
                    mib(after.residentBytes()), mib(NodeGauges.quarterMean(samples, true, SoakReport::hostTierBytes)),
                    mib(NodeGauges.quarterMean(samples, false, SoakReport::hostTierBytes)),
                    mib(settings.serve().adapterHostBytes())));
            b.append("node RSS by minute of the load (mean MiB):");
            rssByMinute().forEach(v -> b.append(String.format(Locale.ROOT, " %.0f", mib(v))));
            b.append(System.lineSeparator());
        }
        b.append(String.format(Locale.ROOT, "threads: fresh %d, after warm-up %d, after settle %d (%+d, tolerance %d);"
                        + " open fds: fresh %d, after warm-up %d, after settle %d (%+d, tolerance %d)%n",
                fresh.threads(), warm.threads(), after.threads(), threadsGrown(), settings.threadTolerance(),
                fresh.openFds(), warm.openFds(), after.openFds(), fdsGrown(), settings.fdTolerance()));
        b.append("adapters at the end:");
        for (AdapterList.Tier t : tiers) {
            b.append(String.format(Locale.ROOT, " %s %d (%.1f MiB)", t.tier(), t.adapters(), mib(t.bytes())));
        }
        b.append(String.format(Locale.ROOT, "; listed %d%n", listedAdapters));
        List<String> problems = problems();
        b.append(problems.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", problems)).append(System.lineSeparator());
        return b.toString();
    }

    public void print(PrintStream out) {
        out.print(markdown());
    }

    public ObjectNode json() {
        ServeRun.Settings s = settings.serve();
        ObjectNode j = Wire.mapper().createObjectNode();
        j.putObject("settings").put("clients", s.clients()).put("adapters", settings.adapters())
                .put("minutes", s.window().toMillis() / 60_000.0).put("warmup_seconds", s.warmup().toMillis() / 1000.0)
                .put("churn_per_minute", settings.churnPerMinute()).put("zipf", s.zipf()).put("seed", s.seed())
                .put("rank", s.rank()).put("max_tokens", s.maxTokens()).put("max_batch", s.maxBatch())
                .put("node_heap", s.nodeHeap()).put("device", s.device());
        j.putObject("machine").put("cpu", ServeReport.cpu()).put("cores", Runtime.getRuntime().availableProcessors())
                .put("load_average_before", loadBefore).put("load_average_after", loadAfter);
        j.putObject("requests").put("complete_200", stats.requests()).put("tokens", stats.tokens())
                .put("tokens_per_second", stats.tokensPerSecond()).put("status_404", stats.notFound())
                .put("status_429", stats.tooBusy()).put("status_5xx", stats.serverErrors())
                .put("node_5xx", fiveXxByNode()).put("status_other_4xx", stats.clientErrors())
                .put("incomplete", stats.incomplete()).put("io_errors", stats.ioErrors())
                .put("latency_p50_ms", ServeRun.percentile(stats.latencyMs(), 50))
                .put("latency_p99_ms", ServeRun.percentile(stats.latencyMs(), 99))
                .put("ttft_p50_ms", ServeRun.percentile(stats.ttftMs(), 50))
                .put("ttft_p99_ms", ServeRun.percentile(stats.ttftMs(), 99))
                .put("first_failure", stats.firstFailure());
        j.putObject("churn").put("registrations", churn.registrations()).put("deletions", churn.deletions())
                .put("in_use_retries", churn.inUseRetries()).put("pending_at_end", churn.pendingAtEnd())
                .put("failures", churn.failures().size()).put("deleted_still_served", stillServed.size());
        j.putObject("memory").put("samples", samples.size()).put("rss_first_quarter_bytes", rssMean(true))
                .put("rss_last_quarter_bytes", rssMean(false))
                .put("host_tier_growth_bytes", hostTierGrowth()).put("rss_after_settle_bytes", after.residentBytes());
        var byMinute = ((ObjectNode) j.get("memory")).putArray("rss_by_minute_bytes");
        rssByMinute().forEach(byMinute::add);
        j.putObject("threads").put("fresh", fresh.threads()).put("warm", warm.threads()).put("after", after.threads());
        j.putObject("open_fds").put("fresh", fresh.openFds()).put("warm", warm.openFds()).put("after", after.openFds());
        ObjectNode t = j.putObject("tiers");
        for (AdapterList.Tier x : tiers) {
            t.putObject(x.tier()).put("adapters", x.adapters()).put("bytes", x.bytes());
        }
        j.put("listed_adapters", listedAdapters);
        j.put("passed", passed());
        problems().forEach(j.putArray("problems")::add);
        return j;
    }

    /** Writes {@code bench-soak.json} and {@code bench-soak.md} into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("bench-soak.json"),
                Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json()));
        Files.writeString(dir.resolve("bench-soak.md"), markdown());
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static double mib(double bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}

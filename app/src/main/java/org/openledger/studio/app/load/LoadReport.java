package org.openledger.studio.app.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a load run found, and its verdict: no 5xx and no failed request, threads and descriptors back within
 * tolerance of their post-warm-up figures after the idle settle, no row left, resident memory flat (the mean of the
 * last quarter of the load's samples at most {@code rssGrowth} and {@code rssSlackBytes} above the first quarter's).
 */
public record LoadReport(LoadRun.Settings settings, long pid, List<Tally.KindSummary> kinds,
                         List<Tally.Failure> failures, NodeGauges.Scrape fresh, NodeGauges.Scrape warm,
                         NodeGauges.Scrape withSlowReader, NodeGauges.Scrape after, List<NodeGauges.Scrape> samples,
                         double loadSeconds) {

    /** Why the run failed; empty when it passed. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        long fiveXx = failures.stream().filter(f -> f.status() >= 500).count();
        if (fiveXx > 0) {
            out.add(fiveXx + " answer(s) with a 5xx status");
        }
        long dropped = failures.stream().filter(f -> f.status() == 0).count();
        if (dropped > 0) {
            out.add(dropped + " request(s) got no answer (transport failure)");
        }
        if (threadsGrown() > settings.threadTolerance()) {
            out.add("threads grew by " + threadsGrown() + " (tolerance " + settings.threadTolerance() + ")");
        }
        if (fdsGrown() > settings.fdTolerance()) {
            out.add("open descriptors grew by " + fdsGrown() + " (tolerance " + settings.fdTolerance() + ")");
        }
        if (after.get("studio_inference_active_rows") > 0) {
            out.add((long) after.get("studio_inference_active_rows") + " generation row(s) still active after the settle");
        }
        if (rssUnbounded()) {
            out.add(String.format(Locale.ROOT, "resident memory grew: mean %.1f MiB in the last quarter against %.1f MiB"
                    + " in the first", mib(rssMean(false)), mib(rssMean(true))));
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

    /** Mean resident bytes of the first (or last) quarter of the samples taken under load, after the warm-up. */
    public double rssMean(boolean first) {
        return NodeGauges.rssMean(samples, first);
    }

    public boolean rssUnbounded() {
        return NodeGauges.rssGrew(samples, settings.rssGrowth(), settings.rssSlackBytes());
    }

    public long rssMax() {
        return samples.stream().mapToLong(NodeGauges.Scrape::residentBytes).max().orElse(0);
    }

    public long fiveXxByNode() {
        return (long) (after.requests(s -> s >= 500) - fresh.requests(s -> s >= 500));
    }

    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "load: %d clients for %.0f s after a %d s warm-up (node pid %s)%n", settings.clients(),
                loadSeconds, settings.warmup().toSeconds(), pid < 0 ? "unknown" : Long.toString(pid));
        out.printf(Locale.ROOT, "%-26s %7s %-22s %9s %9s %12s %12s%n", "kind", "count", "statuses", "p50 ms",
                "p99 ms", "calm p50", "rude p50");
        for (Tally.KindSummary k : kinds) {
            out.printf(Locale.ROOT, "%-26s %7d %-22s %9.1f %9.1f %12.1f %12.1f%n", k.kind().label(), k.count(),
                    k.statuses().toString(), k.p50Ms(), k.p99Ms(), k.calmP50Ms(), k.turbulentP50Ms());
        }
        out.printf(Locale.ROOT, "5xx: %d seen by the clients, %d counted by the node; no answer: %d%n",
                failures.stream().filter(f -> f.status() >= 500).count(), fiveXxByNode(),
                failures.stream().filter(f -> f.status() == 0).count());
        failures.stream().limit(20).forEach(f -> out.printf(Locale.ROOT, "  %s: %d %s%n", f.kind().label(), f.status(),
                f.detail().length() > 160 ? f.detail().substring(0, 160) : f.detail()));
        out.printf(Locale.ROOT, "client gone (499) counted by the node: %d; rows cancelled: %d%n",
                (long) (after.requests(s -> s == 499) - fresh.requests(s -> s == 499)),
                (long) (after.get("studio_inference_cancelled_rows_total")
                        - fresh.get("studio_inference_cancelled_rows_total")));
        out.printf(Locale.ROOT, "with only the slow reader left: %d request(s) in flight (this scrape included), %d "
                + "active row(s)%n", (long) withSlowReader.get("studio_http_requests_in_flight"),
                (long) withSlowReader.get("studio_inference_active_rows"));
        out.printf(Locale.ROOT, "threads: fresh %d, after warm-up %d, after settle %d (%+d, tolerance %d)%n",
                fresh.threads(), warm.threads(), after.threads(), threadsGrown(), settings.threadTolerance());
        out.printf(Locale.ROOT, "open fds: fresh %d, after warm-up %d, after settle %d (%+d, tolerance %d)%n",
                fresh.openFds(), warm.openFds(), after.openFds(), fdsGrown(), settings.fdTolerance());
        if (!samples.isEmpty()) {
            out.printf(Locale.ROOT, "RSS under load (%d samples): first %.1f MiB, last %.1f MiB, max %.1f MiB; mean "
                            + "first quarter %.1f, last quarter %.1f MiB; fresh %.1f, after settle %.1f MiB%n",
                    samples.size(), mib(samples.get(0).residentBytes()),
                    mib(samples.get(samples.size() - 1).residentBytes()), mib(rssMax()), mib(rssMean(true)),
                    mib(rssMean(false)), mib(fresh.residentBytes()), mib(after.residentBytes()));
        }
        List<String> problems = problems();
        out.println(problems.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", problems));
    }

    private static double mib(double bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}

package org.openledger.studio.app.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every request of a load run: per kind, the statuses and latencies, each latency tagged with whether the rude
 * clients were running; the 5xx answers and transport failures in full. Thread-safe.
 */
public final class Tally {

    /** A request that went wrong: a 5xx answer, or no answer at all. */
    public record Failure(Kind kind, int status, String detail) {
    }

    private static final class PerKind {
        final Map<Integer, Integer> statuses = new TreeMap<>();
        final List<Long> calm = new ArrayList<>();
        final List<Long> turbulent = new ArrayList<>();
    }

    private final Map<Kind, PerKind> kinds = new EnumMap<>(Kind.class);
    private final List<Failure> failures = new ArrayList<>();
    private volatile boolean counting;
    private volatile boolean turbulent;

    /** Requests are counted from here on (the warm-up is not). */
    public void startCounting() {
        counting = true;
    }

    /** The rude clients run from here on. */
    public void turbulent() {
        turbulent = true;
    }

    public boolean isTurbulent() {
        return turbulent;
    }

    /** One answered request (status 0: none arrived). */
    public synchronized void record(Kind kind, int status, long nanos, String detail) {
        if (status >= 500 || status == 0) {
            // failures count during the warm-up too: a 5xx is never acceptable
            failures.add(new Failure(kind, status, detail == null ? "" : detail));
        }
        if (!counting) {
            return;
        }
        PerKind k = kinds.computeIfAbsent(kind, x -> new PerKind());
        k.statuses.merge(status, 1, Integer::sum);
        if (status >= 200 && status < 300) {
            (turbulent ? k.turbulent : k.calm).add(nanos);
        }
    }

    public synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Per kind: count, statuses, p50/p99 in ms of successful requests, and p50 calm / turbulent. */
    public record KindSummary(Kind kind, int count, Map<Integer, Integer> statuses, double p50Ms, double p99Ms,
                              double calmP50Ms, double turbulentP50Ms) {
    }

    public synchronized List<KindSummary> summary() {
        List<KindSummary> out = new ArrayList<>();
        kinds.forEach((kind, k) -> {
            List<Long> all = new ArrayList<>(k.calm);
            all.addAll(k.turbulent);
            int count = k.statuses.values().stream().mapToInt(Integer::intValue).sum();
            out.add(new KindSummary(kind, count, Map.copyOf(k.statuses), percentile(all, 0.50),
                    percentile(all, 0.99), percentile(k.calm, 0.50), percentile(k.turbulent, 0.50)));
        });
        return out;
    }

    /** Nearest-rank percentile in ms; NaN when there is nothing. */
    static double percentile(List<Long> nanos, double q) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        long[] v = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        int rank = (int) Math.ceil(q * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))] / 1e6;
    }
}

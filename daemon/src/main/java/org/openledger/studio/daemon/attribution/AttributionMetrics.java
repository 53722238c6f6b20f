package org.openledger.studio.daemon.attribution;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Attribution's Prometheus metrics: index builds, query latency as a histogram, the queue and what it dropped. */
final class AttributionMetrics {

    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    final LongAdder builds = new LongAdder();
    final LongAdder buildFailures = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder records = new LongAdder();
    final LongAdder failedRecords = new LongAdder();
    private final AtomicLongArray bucketCounts = new AtomicLongArray(BUCKETS.length);
    private final LongAdder queries = new LongAdder();
    private final DoubleAdder querySeconds = new DoubleAdder();

    void query(double seconds) {
        queries.increment();
        querySeconds.add(seconds);
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                bucketCounts.incrementAndGet(i);
            }
        }
    }

    String scrape(int queued, long corpusTokens) {
        StringBuilder out = new StringBuilder(1024);
        counter(out, "studio_attribution_index_builds_total", "Influence indexes built.", builds.sum());
        counter(out, "studio_attribution_index_failures_total", "Influence index builds that failed.",
                buildFailures.sum());
        counter(out, "studio_attribution_records_total", "Attribution records computed.", records.sum());
        counter(out, "studio_attribution_failed_total", "Attribution records that failed.", failedRecords.sum());
        counter(out, "studio_attribution_dropped_total", "Answers not attributed because the queue was full.",
                dropped.sum());
        out.append("# HELP studio_attribution_queue_depth Answers waiting to be attributed.\n")
                .append("# TYPE studio_attribution_queue_depth gauge\n")
                .append("studio_attribution_queue_depth ").append(queued).append('\n');
        out.append("# HELP studio_attribution_span_corpus_tokens Tokens in the node's span corpus.\n")
                .append("# TYPE studio_attribution_span_corpus_tokens gauge\n")
                .append("studio_attribution_span_corpus_tokens ").append(corpusTokens).append('\n');
        out.append("# HELP studio_attribution_query_seconds Time to attribute one answer.\n")
                .append("# TYPE studio_attribution_query_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            out.append("studio_attribution_query_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(bucketCounts.get(i)).append('\n');
        }
        out.append("studio_attribution_query_seconds_bucket{le=\"+Inf\"} ").append(queries.sum()).append('\n')
                .append("studio_attribution_query_seconds_count ").append(queries.sum()).append('\n')
                .append("studio_attribution_query_seconds_sum ")
                .append(String.format(Locale.ROOT, "%.6f", querySeconds.sum())).append('\n');
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }
}

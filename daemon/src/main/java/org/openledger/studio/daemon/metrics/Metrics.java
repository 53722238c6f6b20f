package org.openledger.studio.daemon.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's metrics, written in the Prometheus text exposition format (version 0.0.4). Request metrics are labelled
 * by route pattern, not raw path, so their number stays bounded.
 */
public final class Metrics {

    private record RequestKey(String method, String route, int status) {
    }

    private static final class Timing {
        final LongAdder count = new LongAdder();
        final DoubleAdder seconds = new DoubleAdder();
    }

    private final String version;
    private final Instant started;
    private final Map<RequestKey, Timing> requests = new ConcurrentHashMap<>();
    private final LongAdder rejectedAuth = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();

    private final java.util.function.Supplier<String> features;
    private final ProcessGauges process = ProcessGauges.self();
    private volatile java.util.function.IntSupplier inFlight = () -> 0;

    public Metrics(String version, Instant started) {
        this(version, started, () -> "");
    }

    /** @param features Prometheus text of the node's features (attribution, ...), appended to every scrape */
    public Metrics(String version, Instant started, java.util.function.Supplier<String> features) {
        this.version = version;
        this.started = started;
        this.features = features;
    }

    public void recordRequest(String method, String route, int status, Duration took) {
        Timing t = requests.computeIfAbsent(new RequestKey(method, route, status), k -> new Timing());
        t.count.increment();
        t.seconds.add(took.toNanos() / 1e9);
    }

    /** Where the number of requests being answered right now comes from (the HTTP server). */
    public void countInFlight(java.util.function.IntSupplier requests) {
        this.inFlight = requests;
    }

    public void recordAuthRejected() {
        rejectedAuth.increment();
    }

    public void recordRateLimited() {
        rateLimited.increment();
    }

    /** All metrics as Prometheus text. */
    public String scrape() {
        StringBuilder out = new StringBuilder(2048);
        header(out, "studio_build_info", "gauge", "Program version of this node.");
        out.append("studio_build_info{version=\"").append(escape(version)).append("\"} 1\n");

        header(out, "studio_node_uptime_seconds", "gauge", "Seconds since the node started.");
        sample(out, "studio_node_uptime_seconds", "", Duration.between(started, Instant.now()).toMillis() / 1000.0);

        header(out, "studio_http_requests_total", "counter", "HTTP requests answered, by method, route and status.");
        Map<RequestKey, Timing> sorted = new TreeMap<>((a, b) -> (a.route + a.method + a.status)
                .compareTo(b.route + b.method + b.status));
        sorted.putAll(requests);
        sorted.forEach((k, t) -> sample(out, "studio_http_requests_total", labels(k), t.count.sum()));
        header(out, "studio_http_request_duration_seconds", "summary", "Time to answer HTTP requests.");
        sorted.forEach((k, t) -> {
            sample(out, "studio_http_request_duration_seconds_count", labels(k), t.count.sum());
            sample(out, "studio_http_request_duration_seconds_sum", labels(k), t.seconds.sum());
        });

        header(out, "studio_http_requests_in_flight", "gauge", "HTTP requests being answered now (streams included).");
        sample(out, "studio_http_requests_in_flight", "", inFlight.getAsInt());

        header(out, "studio_http_auth_rejected_total", "counter", "Requests refused for a missing or wrong token.");
        sample(out, "studio_http_auth_rejected_total", "", rejectedAuth.sum());
        header(out, "studio_http_rate_limited_total", "counter", "Requests refused for their token's rate.");
        sample(out, "studio_http_rate_limited_total", "", rateLimited.sum());

        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        header(out, "jvm_memory_used_bytes", "gauge", "Memory used by the JVM, by area.");
        sample(out, "jvm_memory_used_bytes", "{area=\"heap\"}", heap.getUsed());
        sample(out, "jvm_memory_used_bytes", "{area=\"nonheap\"}", nonHeap.getUsed());
        header(out, "jvm_threads_live", "gauge", "Live JVM threads.");
        sample(out, "jvm_threads_live", "", ManagementFactory.getThreadMXBean().getThreadCount());
        out.append(process.scrape());
        out.append(features.get());
        return out.toString();
    }

    private static String labels(RequestKey k) {
        return "{method=\"" + escape(k.method) + "\",route=\"" + escape(k.route) + "\",status=\"" + k.status + "\"}";
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(String.format(Locale.ROOT, "%.6f", value));
        }
        out.append('\n');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

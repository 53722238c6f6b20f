package org.openledger.studio.app.load;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The node's own figures, read from its {@code /metrics} (Prometheus text). */
public final class NodeGauges {

    /** One scrape: sample name with its labels as written (e.g. {@code process_threads}) to value. */
    public record Scrape(long atNanos, Map<String, Double> samples) {

        public double get(String name) {
            return samples.getOrDefault(name, Double.NaN);
        }

        public long threads() {
            return (long) get("process_threads");
        }

        public long openFds() {
            return (long) get("process_open_fds");
        }

        public long residentBytes() {
            return (long) get("process_resident_memory_bytes");
        }

        /** Sum of every {@code studio_http_requests_total} sample whose status label matches. */
        public double requests(java.util.function.IntPredicate status) {
            double sum = 0;
            for (var e : samples.entrySet()) {
                String k = e.getKey();
                int at = k.indexOf("status=\"");
                if (k.startsWith("studio_http_requests_total{") && at > 0) {
                    int s = Integer.parseInt(k.substring(at + 8, k.indexOf('"', at + 8)));
                    if (status.test(s)) {
                        sum += e.getValue();
                    }
                }
            }
            return sum;
        }
    }

    private final OkHttpClient http;
    private final URI base;
    private final String token;

    public NodeGauges(OkHttpClient http, URI base, String token) {
        this.http = http;
        this.base = base;
        this.token = token;
    }

    /** Mean resident bytes of the first (or last) quarter of {@code samples}; NaN when there are none. */
    public static double rssMean(java.util.List<Scrape> samples, boolean first) {
        return quarterMean(samples, first, Scrape::residentBytes);
    }

    /** Mean of a figure over the first (or last) quarter of {@code samples}; NaN when there are none. */
    public static double quarterMean(java.util.List<Scrape> samples, boolean first,
                                     java.util.function.ToDoubleFunction<Scrape> figure) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        int q = Math.max(1, samples.size() / 4);
        java.util.List<Scrape> part = first ? samples.subList(0, q) : samples.subList(samples.size() - q,
                samples.size());
        return part.stream().mapToDouble(figure).average().orElse(Double.NaN);
    }

    /**
     * Whether resident memory kept growing: the last quarter's mean above the first quarter's by more than {@code
     * growth} (a fraction) plus {@code slackBytes}. Fewer than four samples say nothing.
     */
    public static boolean rssGrew(java.util.List<Scrape> samples, double growth, double slackBytes) {
        return samples.size() >= 4 && rssMean(samples, false) > rssMean(samples, true) * (1 + growth) + slackBytes;
    }

    /**
     * Waits, idle, up to {@code settle} until the node's threads and descriptors are back within tolerance of
     * {@code warm} (its figures once its pools had grown to working size) and no generation row is left.
     */
    public Scrape settle(Scrape warm, java.time.Duration settle, int threadTolerance, int fdTolerance)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + settle.toNanos();
        Scrape s = scrape();
        while (System.nanoTime() < deadline && !(s.threads() <= warm.threads() + threadTolerance
                && s.openFds() <= warm.openFds() + fdTolerance && s.get("studio_inference_active_rows") == 0)) {
            Thread.sleep(1_000);
            s = scrape();
        }
        return s;
    }

    public Scrape scrape() throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(base.resolve("/metrics").toString())
                .header("Authorization", "Bearer " + token).build()).execute()) {
            if (r.code() != 200) {
                throw new IOException("GET /metrics answered " + r.code());
            }
            Map<String, Double> samples = new HashMap<>();
            for (String line : r.body().string().split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                try {
                    samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                } catch (RuntimeException ignored) {
                    // a sample this reader does not need
                }
            }
            return new Scrape(System.nanoTime(), samples);
        }
    }
}

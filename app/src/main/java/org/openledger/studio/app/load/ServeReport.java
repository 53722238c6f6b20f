package org.openledger.studio.app.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * What {@code studio bench serve} measured, with every ratio taken against figures of the same run: the base model's
 * throughput (mean of its point before and its point after the adapter points, so a drift of the machine's load
 * shows as the gap between the two), the naive node's at the same adapter count, and the memory-copy bandwidth.
 */
public final class ServeReport {

    /** One adapter count, read across the three servers. */
    public record Row(int adapters, ServeRun.Point tiered, ServeRun.Point naive, double vsBase, double vsNaive) {
    }

    private final ServeRun.Settings settings;
    private final ServeRun.Decode decode;
    private final List<ServeRun.Point> points;
    private final double loadBefore;
    private final double loadAfter;

    ServeReport(ServeRun.Settings settings, ServeRun.Decode decode, List<ServeRun.Point> points, double loadBefore,
                double loadAfter) {
        this.settings = settings;
        this.decode = decode;
        this.points = List.copyOf(points);
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
    }

    public List<ServeRun.Point> points() {
        return points;
    }

    public ServeRun.Decode decode() {
        return decode;
    }

    /** The base model's tokens/s: the mean of its points. */
    public double baseTokensPerSecond() {
        return points.stream().filter(p -> p.server().equals("base"))
                .mapToDouble(p -> p.stats().tokensPerSecond()).average().orElse(Double.NaN);
    }

    /** Share of the memory-copy bandwidth batch-1 decode streams the weights at. */
    public double batch1Share() {
        return decode.batch1().weightBytesPerSecond() / decode.copyBytesPerSecond();
    }

    public List<Row> rows() {
        List<Row> out = new ArrayList<>();
        double base = baseTokensPerSecond();
        for (ServeRun.Point t : points) {
            if (!t.server().equals("tiered")) {
                continue;
            }
            ServeRun.Point n = points.stream().filter(p -> p.server().equals("naive") && p.adapters() == t.adapters())
                    .findFirst().orElseThrow();
            out.add(new Row(t.adapters(), t, n, t.stats().tokensPerSecond() / base,
                    t.stats().tokensPerSecond() / n.stats().tokensPerSecond()));
        }
        return out;
    }

    /** Requests answered 5xx (or an error inside a 200 stream), over every point. */
    public int serverErrors() {
        return points.stream().mapToInt(p -> p.stats().serverErrors()).sum();
    }

    public void print(PrintStream out) {
        out.print(markdown());
    }

    public String markdown() {
        StringBuilder b = new StringBuilder();
        ServeRun.Settings s = settings;
        var c = decode.model();
        b.append(String.format(Locale.ROOT, "model: %d layers x %d, %.2fM parameters; %d clients, Zipf s=%.2f, seed %d,"
                        + " rank-%d adapters on q/k/v/o, max_tokens %d (end of text suppressed), %s s warm-up + %s s"
                        + " measured per point, --max-batch %d (naive %d)%n", c.numLayers(), c.hiddenSize(),
                decode.parameters() / 1e6, s.clients(), s.zipf(), s.seed(), s.rank(), s.maxTokens(),
                s.warmup().toMillis() / 1000.0, s.window().toMillis() / 1000.0, s.maxBatch(), s.naiveMaxBatch()));
        b.append(String.format(Locale.ROOT, "machine: %s, %d cores; load average %.2f before, %.2f after%n%n",
                cpu(), Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter));
        List<ServeRun.Point> bases = points.stream().filter(p -> p.server().equals("base")).toList();
        b.append("| server | adapters | tok/s | vs base | vs naive | naive tok/s | TTFT p50 / p99 ms | decode tok/s per"
                + " client p50 | cold load p50 / p99 ms (n) | bytes per adapter: device / host / disk | 5xx | 429 |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < bases.size(); i++) {
            ServeLoad.Stats st = bases.get(i).stats();
            b.append(String.format(Locale.ROOT, "| base alone (%s) | 0 | %.0f | 1.00 | | | %s | %.1f | | | %d | %d |%n",
                    i == 0 ? "before" : "after", st.tokensPerSecond(), ttft(st),
                    ServeRun.percentile(st.decodeTokensPerSecond(), 50), st.serverErrors(), st.tooBusy()));
        }
        for (Row r : rows()) {
            ServeLoad.Stats t = r.tiered().stats();
            ServeLoad.Stats n = r.naive().stats();
            double[] cold = r.tiered().coldLoadMs();
            b.append(String.format(Locale.ROOT, "| tiered | %d | %.0f | %.2f | %.1fx | %.0f | %s | %.1f | %.2f / %.2f (%d)"
                            + " | %s | %d (naive %d) | %d (naive %d) |%n", r.adapters(), t.tokensPerSecond(), r.vsBase(),
                    r.vsNaive(), n.tokensPerSecond(), ttft(t), ServeRun.percentile(t.decodeTokensPerSecond(), 50),
                    ServeRun.percentile(cold, 50), ServeRun.percentile(cold, 99), cold.length,
                    perAdapter(r.tiered().tiers()), t.serverErrors(), n.serverErrors(), t.tooBusy(), n.tooBusy()));
        }
        b.append(String.format(Locale.ROOT, "%nbatch-1 decode: %.1f tok/s x %.2f MB of float32 weights = %.2f GB/s;"
                        + " memory copy %.2f GB/s (one thread, %d MiB); ratio %.3f%n", decode.batch1()
                        .decodeTokensPerSecond(), decode.parameters() * 4 / 1e6,
                decode.batch1().weightBytesPerSecond() / 1e9, decode.copyBytesPerSecond() / 1e9, settings.copyMiB(),
                batch1Share()));
        return b.toString();
    }

    private static String ttft(ServeLoad.Stats s) {
        return String.format(Locale.ROOT, "%.0f / %.0f", ServeRun.percentile(s.ttftMs(), 50),
                ServeRun.percentile(s.ttftMs(), 99));
    }

    private static String perAdapter(List<AdapterList.Tier> tiers) {
        List<String> out = new ArrayList<>();
        for (String name : List.of("device", "host", "disk")) {
            AdapterList.Tier t = tiers.stream().filter(x -> x.tier().equals(name)).findFirst().orElse(null);
            out.add(t == null || t.adapters() == 0 ? "-" : String.format(Locale.ROOT, "%.0f KB (%d)",
                    t.bytes() / 1e3 / t.adapters(), t.adapters()));
        }
        return String.join(" / ", out);
    }

    public ObjectNode json() {
        ObjectNode j = Wire.mapper().createObjectNode();
        ServeRun.Settings s = settings;
        j.putObject("settings").put("clients", s.clients()).put("warmup_seconds", s.warmup().toMillis() / 1000.0)
                .put("seconds", s.window().toMillis() / 1000.0).put("zipf", s.zipf()).put("seed", s.seed())
                .put("rank", s.rank()).put("max_tokens", s.maxTokens()).put("max_batch", s.maxBatch())
                .put("naive_max_batch", s.naiveMaxBatch()).put("node_heap", s.nodeHeap())
                .put("model", s.model() == null ? "bundled" : s.model().toString()).put("device", s.device());
        j.putObject("machine").put("cpu", cpu()).put("cores", Runtime.getRuntime().availableProcessors())
                .put("load_average_before", loadBefore).put("load_average_after", loadAfter);
        j.putObject("batch1_decode").put("tokens_per_second", decode.batch1().decodeTokensPerSecond())
                .put("weight_bytes", decode.parameters() * 4)
                .put("weight_bytes_per_second", decode.batch1().weightBytesPerSecond())
                .put("memory_copy_bytes_per_second", decode.copyBytesPerSecond()).put("ratio", batch1Share());
        j.put("base_tokens_per_second", baseTokensPerSecond());
        ArrayNode ps = j.putArray("points");
        for (ServeRun.Point p : points) {
            ServeLoad.Stats st = p.stats();
            ObjectNode o = ps.addObject().put("server", p.server()).put("adapters", p.adapters())
                    .put("seconds", st.seconds()).put("requests", st.requests()).put("tokens", st.tokens())
                    .put("tokens_per_second", st.tokensPerSecond())
                    .put("ttft_p50_ms", ServeRun.percentile(st.ttftMs(), 50))
                    .put("ttft_p99_ms", ServeRun.percentile(st.ttftMs(), 99))
                    .put("decode_tokens_per_second_per_client_p50",
                            ServeRun.percentile(st.decodeTokensPerSecond(), 50))
                    .put("status_5xx", st.serverErrors()).put("status_429", st.tooBusy())
                    .put("status_other_4xx", st.clientErrors()).put("io_errors", st.ioErrors())
                    .put("first_failure", st.firstFailure());
            if (!p.server().equals("base")) {
                o.put("cold_load_p50_ms", ServeRun.percentile(p.coldLoadMs(), 50))
                        .put("cold_load_p99_ms", ServeRun.percentile(p.coldLoadMs(), 99))
                        .put("cold_loads", p.coldLoadMs().length);
                ObjectNode tiers = o.putObject("tiers");
                for (AdapterList.Tier t : p.tiers()) {
                    tiers.putObject(t.tier()).put("adapters", t.adapters()).put("bytes", t.bytes())
                            .put("bytes_per_adapter", t.adapters() == 0 ? 0 : t.bytes() / t.adapters());
                }
            }
        }
        ArrayNode rs = j.putArray("rows");
        for (Row r : rows()) {
            rs.addObject().put("adapters", r.adapters()).put("tokens_per_second", r.tiered().stats().tokensPerSecond())
                    .put("vs_base", r.vsBase()).put("vs_naive", r.vsNaive());
        }
        return j;
    }

    /** Writes {@code bench-serve.json} and {@code bench-serve.md} into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("bench-serve.json"),
                Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json()));
        Files.writeString(dir.resolve("bench-serve.md"), markdown());
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture is what can be said
        }
        return System.getProperty("os.arch");
    }
}

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
 * throughput measured just before each adapter count's points (so a ratio compares minutes of the same machine
 * load, and the drift of the base figure from one count to the next shows how steady the machine was), the naive
 * node's at the same adapter count, and the memory-copy bandwidth.
 */
public final class ServeReport {

    /** One adapter count, read across the three servers. */
    public record Row(int adapters, ServeRun.Point base, ServeRun.Point tiered, ServeRun.Point naive, double vsBase,
                      double vsNaive) {
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


    /** Share of the memory-copy bandwidth batch-1 decode through the node streams the weights at. */
    public double batch1Share() {
        return nodeWeightBytesPerSecond() / decode.copyBytesPerSecond();
    }

    /** The same for the in-process engine benchmark. */
    public double engineBatch1Share() {
        return decode.batch1().weightBytesPerSecond() / decode.copyBytesPerSecond();
    }

    private double nodeWeightBytesPerSecond() {
        return decode.nodeBatch1TokensPerSecond() * decode.parameters() * 4;
    }

    public List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (ServeRun.Point t : points) {
            if (t.server().equals("tiered")) {
                ServeRun.Point b = of("base", t.adapters());
                ServeRun.Point n = of("naive", t.adapters());
                out.add(new Row(t.adapters(), b, t, n, t.stats().tokensPerSecond() / b.stats().tokensPerSecond(),
                        t.stats().tokensPerSecond() / n.stats().tokensPerSecond()));
            }
        }
        return out;
    }

    private ServeRun.Point of(String server, int adapters) {
        return points.stream().filter(p -> p.server().equals(server) && p.adapters() == adapters).findFirst()
                .orElseThrow();
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
        b.append("| adapters | base tok/s | tiered tok/s | vs base | naive tok/s | vs naive | TTFT p50 / p99 ms: base,"
                + " tiered, naive | decode tok/s per client p50: base, tiered, naive | cold load p50 / p99 ms (n) |"
                + " bytes per adapter (adapters): device / host / disk | 5xx | 429 |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows()) {
            ServeLoad.Stats a = r.base().stats();
            ServeLoad.Stats t = r.tiered().stats();
            ServeLoad.Stats n = r.naive().stats();
            double[] cold = r.tiered().coldLoadMs();
            b.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.0f | %.1fx | %s, %s, %s | %.1f, %.1f, %.1f"
                            + " | %.2f / %.2f (%d) | %s | %d | %d |%n", r.adapters(), a.tokensPerSecond(),
                    t.tokensPerSecond(), r.vsBase(), n.tokensPerSecond(), r.vsNaive(), ttft(a), ttft(t), ttft(n),
                    decode(a), decode(t), decode(n), ServeRun.percentile(cold, 50), ServeRun.percentile(cold, 99),
                    cold.length, perAdapter(r.tiered().tiers()), a.serverErrors() + t.serverErrors()
                            + n.serverErrors(), a.tooBusy() + t.tooBusy() + n.tooBusy()));
        }
        b.append(String.format(Locale.ROOT, "%nbatch-1 decode, %.2f MB of float32 weights read a step, against a"
                        + " memory copy of %.2f GB/s (one thread, %d MiB): through the node (one client alone) %.1f"
                        + " tok/s = %.3f GB/s, ratio %.3f; in this process (ThroughputBenchmark) %.1f tok/s = %.3f"
                        + " GB/s, ratio %.3f%n", decode.parameters() * 4 / 1e6, decode.copyBytesPerSecond() / 1e9,
                settings.copyMiB(), decode.nodeBatch1TokensPerSecond(), nodeWeightBytesPerSecond() / 1e9,
                batch1Share(), decode.batch1().decodeTokensPerSecond(), decode.batch1().weightBytesPerSecond() / 1e9,
                engineBatch1Share()));
        b.append(System.lineSeparator()).append("aims (issue 12):").append(System.lineSeparator());
        for (String line : aims()) {
            b.append("- ").append(line).append(System.lineSeparator());
        }
        return b.toString();
    }

    /** Each of issue 12's aims with this run's figure and whether it was met. */
    public List<String> aims() {
        List<String> out = new ArrayList<>();
        List<Row> rows = rows();
        Row at1000 = rows.stream().filter(r -> r.adapters() == 1000).findFirst().orElse(null);
        out.add(at1000 == null ? "throughput at 1,000 adapters >= 0.90 of the base model's: not measured (no 1000 point)"
                : String.format(Locale.ROOT, "throughput at 1,000 adapters >= 0.90 of the base model's: %.2f, %s",
                at1000.vsBase(), at1000.vsBase() >= 0.90 ? "met" : "missed"));
        for (Row r : rows) {
            if (r.adapters() > 1) {
                out.add(String.format(Locale.ROOT, "%d adapters, >= 10x the naive node: %.1fx, %s", r.adapters(),
                        r.vsNaive(), r.vsNaive() >= 10 ? "met" : "missed"));
            }
        }
        double[] cold = points.stream().filter(p -> p.server().equals("tiered")).reduce((a, b) -> b)
                .map(ServeRun.Point::coldLoadMs).orElse(new double[0]);
        out.add(String.format(Locale.ROOT, "cold load of a rank-%d adapter p50 <= 5 ms: %.2f ms, %s", settings.rank(),
                ServeRun.percentile(cold, 50), ServeRun.percentile(cold, 50) <= 5 ? "met" : "missed"));
        out.add(String.format(Locale.ROOT, "batch-1 decode through the node >= 0.60 of the memory-copy bandwidth: %.3f, %s",
                batch1Share(), batch1Share() >= 0.60 ? "met" : "missed"));
        return out;
    }

    private static double decode(ServeLoad.Stats s) {
        return ServeRun.percentile(s.decodeTokensPerSecond(), 50);
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
                .put("memory_copy_bytes_per_second", decode.copyBytesPerSecond()).put("ratio", engineBatch1Share())
                .put("node_tokens_per_second", decode.nodeBatch1TokensPerSecond())
                .put("node_weight_bytes_per_second", nodeWeightBytesPerSecond()).put("node_ratio", batch1Share());
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
                    .put("status_404", st.notFound()).put("status_other_4xx", st.clientErrors())
                    .put("incomplete", st.incomplete()).put("io_errors", st.ioErrors())
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
                    .put("base_tokens_per_second", r.base().stats().tokensPerSecond())
                    .put("naive_tokens_per_second", r.naive().stats().tokensPerSecond())
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

    static String cpu() {
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

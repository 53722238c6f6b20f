package org.openledger.studio.app.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.adapters.AdapterList;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.generate.Throughput;
import org.openledger.studio.gpu.generate.ThroughputBenchmark;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.model.BundledModel;

/**
 * {@code studio bench serve}: one run measuring, side by side on the same machine, a node serving many adapters
 * (the tiers as configured) against the same load on its base model alone and against a naive node that loads the
 * adapter of every request from disk (one device slot, a host tier of one byte: decision 26). Both nodes are real
 * {@code studio daemon} processes on loopback, started from the same model folder with the same batch size; the
 * adapters are registered once through the first node's API and found on disk by the second.
 */
public final class ServeRun {

    /** What to run. A bound of 0 leaves the node's own default. */
    public record Settings(Path model, int clients, Duration warmup, Duration window, List<Integer> adapterCounts,
                           double zipf, long seed, int rank, int maxTokens, int maxBatch, int naiveMaxBatch,
                           String nodeHeap, long adapterHostBytes, long adapterDeviceBytes, int maxAdaptersOnDevice,
                           int copyMiB, String device) {
    }

    /**
     * One measured point: which server ({@code base}, {@code tiered}, {@code naive}), the adapter count of the
     * group it belongs to (the base point of a group names no adapter), what the node reported.
     */
    public record Point(String server, int adapters, ServeLoad.Stats stats, List<AdapterList.Tier> tiers,
                        double[] coldLoadMs) {
    }

    /**
     * Batch-1 decode of the base model against the memory-copy baseline of the same run, two ways: through the node
     * (one client alone on the tiered node: the serving path, p50 over its requests of (tokens - 1) / (last - first
     * chunk)) and in this process by {@code ThroughputBenchmark} (the {@code studio bench model} figure).
     */
    public record Decode(ModelConfig model, long parameters, Throughput batch1, double copyBytesPerSecond,
                         double nodeBatch1TokensPerSecond) {

        public Decode withNode(double tokensPerSecond) {
            return new Decode(model, parameters, batch1, copyBytesPerSecond, tokensPerSecond);
        }
    }

    private final Settings s;
    private final Consumer<String> progress;

    public ServeRun(Settings settings, Consumer<String> progress) {
        this.s = settings;
        this.progress = progress;
    }

    public ServeReport run(Path work) throws Exception {
        Path model = s.model() != null ? s.model() : new BundledModel().extractTo(work.resolve("models"));
        ModelConfig config = ModelConfig.read(model);
        Map<String, Double> noEnd = noEnd(config, s.maxTokens());
        int context = config.maxPositionEmbeddings();
        double loadBefore = ServeReport.loadAverage();
        progress.accept("batch-1 decode and the memory-copy baseline");
        Decode decode = decode(model, Math.min(64, context / 2), Math.min(32, context / 4));
        progress.accept("starting the nodes");
        List<Point> points = new ArrayList<>();
        try (NodeProcess tiered = NodeProcess.start(work.resolve("tiered"), s.nodeHeap(), tieredOptions(s, model));
             NodeProcess naive = NodeProcess.start(work.resolve("naive"), s.nodeHeap(),
                     naiveOptions(model, tiered.data().resolve("adapters")))) {
            NodeClient tieredApi = new NodeClient(NodeClient.defaultHttp(), tiered.url(), tiered.token());
            NodeClient naiveApi = new NodeClient(NodeClient.defaultHttp(), naive.url(), naive.token());
            String baseId = baseModelId(tieredApi.models());
            ServeLoad tieredLoad = new ServeLoad(tiered.url(), tiered.token(), s.clients(), s.maxTokens(), noEnd);
            ServeLoad naiveLoad = new ServeLoad(naive.url(), naive.token(), s.clients(), s.maxTokens(), noEnd);
            BenchAdapters adapters = new BenchAdapters(config, s.rank(), s.seed(), work.resolve("staging"));

            // both JVMs and engines warmed alike (JIT, first kernels, pools) before anything is measured
            progress.accept("warming both nodes on the base model (not measured)");
            tieredLoad.run(s.warmup(), s.window(), s.seed(), rnd -> baseId);
            naiveLoad.run(s.warmup(), s.window(), s.seed(), rnd -> baseId);
            progress.accept("batch-1 decode through the node: one client alone on the base model");
            ServeLoad.Stats alone = new ServeLoad(tiered.url(), tiered.token(), 1, s.maxTokens(), noEnd)
                    .run(s.warmup(), s.window(), s.seed(), rnd -> baseId);
            decode = decode.withNode(percentile(alone.decodeTokensPerSecond(), 50));
            for (int k : s.adapterCounts()) {
                progress.accept("registering adapters up to " + k);
                adapters.registerUpTo(k, tieredApi);
                if (naiveApi.adapters(null).data().size() < k) {
                    throw new IOException("the naive node does not see the " + k + " adapters on its disk");
                }
                // the base point next to each adapter point, so a ratio compares two minutes of the same machine
                progress.accept(k + " adapters: the base model alone on the tiered node");
                points.add(point("base", k, tieredLoad.run(s.warmup(), s.window(), s.seed() + k, rnd -> baseId),
                        null));
                var traffic = ServeLoad.zipf(new ZipfTraffic(k, s.zipf()), BenchAdapters::id);
                progress.accept(k + " adapters: tiered node");
                points.add(point("tiered", k, tieredLoad.run(s.warmup(), s.window(), s.seed() + k, traffic),
                        tieredApi.adapters(null)));
                progress.accept(k + " adapters: naive node (loads every request's adapter)");
                points.add(point("naive", k, naiveLoad.run(s.warmup(), s.window(), s.seed() + k, traffic),
                        naiveApi.adapters(null)));
            }
            for (NodeProcess n : List.of(tiered, naive)) {
                if (!n.alive()) {
                    throw new IOException("a node died during the run; see " + n.log());
                }
            }
        }
        return new ServeReport(s, decode, points, loadBefore, ServeReport.loadAverage());
    }

    private Decode decode(Path model, int prompt, int newTokens) throws Exception {
        try (BaseModel m = BaseModel.load(model, DeviceScan.ofThisMachine().pick(s.device()), 1, prompt + newTokens)) {
            ThroughputBenchmark bench = new ThroughputBenchmark(m);
            bench.run(1, prompt, newTokens, s.seed()); // warm-up
            Throughput t = bench.run(1, prompt, newTokens, s.seed());
            return new Decode(m.config(), m.config().parameterCount(), t,
                    MemoryCopy.bytesPerSecond(s.copyMiB()), Double.NaN);
        }
    }

    /**
     * logit_bias -100 on the model's end-of-text ids, so every answer is {@code maxTokens} long.
     *
     * @throws IllegalArgumentException when {@code maxTokens} and a prompt do not fit the model's context
     */
    static Map<String, Double> noEnd(ModelConfig config, int maxTokens) {
        Map<String, Double> noEnd = new LinkedHashMap<>();
        for (int eos : config.eosTokenIds()) {
            noEnd.put(Integer.toString(eos), -100.0);
        }
        int context = config.maxPositionEmbeddings();
        if (maxTokens + 16 > context) {
            throw new IllegalArgumentException("--max-tokens " + maxTokens + " does not fit the model's context of "
                    + context + " with a prompt");
        }
        return noEnd;
    }

    private static List<String> common(Settings s, Path model, int maxBatch) {
        return new ArrayList<>(List.of("--base-model", model.toString(), "--device", s.device(), "--max-batch",
                Integer.toString(maxBatch), "--rate-limit", "0"));
    }

    /** The tiered node's {@code studio daemon} options: the model, the batch, the tier bounds as set. */
    static List<String> tieredOptions(Settings s, Path model) {
        List<String> o = common(s, model, s.maxBatch());
        if (s.adapterHostBytes() > 0) {
            o.addAll(List.of("--adapter-host-bytes", Long.toString(s.adapterHostBytes())));
        }
        if (s.adapterDeviceBytes() > 0) {
            o.addAll(List.of("--adapter-device-bytes", Long.toString(s.adapterDeviceBytes())));
        }
        if (s.maxAdaptersOnDevice() > 0) {
            o.addAll(List.of("--max-adapters-on-device", Integer.toString(s.maxAdaptersOnDevice())));
        }
        return o;
    }

    /** One adapter on the device at a time (more only while requests hold them), none kept in host memory. */
    private List<String> naiveOptions(Path model, Path adapters) {
        List<String> o = common(s, model, s.naiveMaxBatch());
        o.addAll(List.of("--adapters", adapters.toString(), "--max-adapters-on-device", "1",
                "--adapter-host-bytes", "1"));
        return o;
    }

    private static Point point(String server, int k, ServeLoad.Stats stats, AdapterList list) {
        if (list == null) {
            return new Point(server, k, stats, List.of(), new double[0]);
        }
        // each adapter's last cold load: disk -> host memory, then host -> device, as the node timed them
        double[] cold = list.data().stream()
                .filter(a -> a.loads() > 0 && a.lastDiskToHostMs() != null && a.lastHostToDeviceMs() != null)
                .mapToDouble(a -> a.lastDiskToHostMs() + a.lastHostToDeviceMs()).sorted().toArray();
        return new Point(server, k, stats, list.tiers(), cold);
    }

    static String baseModelId(ModelList models) {
        for (ModelList.Model m : models.data()) {
            if ("base".equals(m.kind())) {
                return m.id();
            }
        }
        throw new IllegalStateException("the node serves no base model");
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    static double percentile(List<Double> values, double p) {
        return percentile(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), p);
    }
}

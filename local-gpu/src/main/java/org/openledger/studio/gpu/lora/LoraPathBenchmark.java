package org.openledger.studio.gpu.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.model.EngineArrays;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.PagedKvCache;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.WeightDelta;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * Times the three LoRA paths of {@link AdapterBatch} on real arrays over a grid of rows, distinct adapters,
 * ranks and positions per row, on one square projection (q_proj, in = out = the model's width) of a given model;
 * and one extra forward pass of one row, for {@link LoraCostModel#passCost}. The samples fit a
 * {@link LoraCostModel}. Used by {@code studio bench lora-paths}.
 */
public final class LoraPathBenchmark {

    /** One grid point and what each path took there (NaN where a path does not apply). */
    public record Cell(int width, int rank, int positions, int rows, int distinct, Map<LoraCostModel.Path, Double> micros,
                       LoraCostModel.Work work) {

        public LoraCostModel.Path fastest() {
            LoraCostModel.Path best = null;
            for (Map.Entry<LoraCostModel.Path, Double> e : micros.entrySet()) {
                if (!e.getValue().isNaN() && (best == null || e.getValue() < micros.get(best))) {
                    best = e.getKey();
                }
            }
            return best;
        }

        public Set<LoraCostModel.Path> allowed() {
            EnumSet<LoraCostModel.Path> out = EnumSet.noneOf(LoraCostModel.Path.class);
            micros.forEach((p, v) -> {
                if (!v.isNaN()) {
                    out.add(p);
                }
            });
            return out;
        }
    }

    /** Per width: one forward pass of one row and one token, per layer, and the layer's weight elements. */
    public record Pass(int width, long layerWeights, double micros) {
    }

    private final long minNanosPerCell;
    private final java.util.function.LongSupplier clock;

    /**
     * @param minMillisPerCell how long each path is repeated at each grid point, at least
     * @param threadCpuTime    time by this thread's CPU time instead of the wall clock: with one PyTorch thread on
     *                         the CPU every operation runs on the calling thread, so this leaves out the time the
     *                         thread waited for a core on a machine shared with other work (not for a GPU)
     */
    public LoraPathBenchmark(double minMillisPerCell, boolean threadCpuTime) {
        this.minNanosPerCell = (long) (minMillisPerCell * 1e6);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        this.clock = threadCpuTime ? threads::getCurrentThreadCpuTime : System::nanoTime;
    }

    /** The grid on one model: every rows x distinct (distinct ≤ rows) x rank x positions. */
    public List<Cell> measure(BaseModel model, int[] rowCounts, int[] distinctCounts, int[] ranks, int[] positions)
            throws AdapterMismatchException {
        ModelConfig c = model.config();
        List<Cell> out = new ArrayList<>();
        int maxDistinct = 0;
        for (int d : distinctCounts) {
            maxDistinct = Math.max(maxDistinct, d);
        }
        for (int rank : ranks) {
            List<AdapterWeights> adapters = new ArrayList<>();
            try {
                for (int a = 0; a < maxDistinct; a++) {
                    adapters.add(AdapterWeights.upload(random("bench-" + a, c, rank, 1000L * rank + a), null,
                            model.transformer().weights()));
                }
                cell(model, adapters, rank, positions[0], rowCounts[0], 1); // warm-up, not kept
                for (int pos : positions) {
                    for (int rows : rowCounts) {
                        for (int distinct : distinctCounts) {
                            if (distinct <= rows) {
                                out.add(cell(model, adapters, rank, pos, rows, distinct));
                            }
                        }
                    }
                }
            } finally {
                adapters.forEach(AdapterWeights::close);
            }
        }
        return out;
    }

    private Cell cell(BaseModel model, List<AdapterWeights> adapters, int rank, int positions, int rows, int distinct) {
        ModelConfig c = model.config();
        List<AdapterWeights> perRow = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            perRow.add(adapters.get(r % distinct));
        }
        NDManager root = model.transformer().weights().manager();
        Map<LoraCostModel.Path, Double> micros = new LinkedHashMap<>();
        LoraCostModel.Work work = null;
        Random rnd = new Random(rows * 31L + distinct);
        float[] xs = new float[rows * positions * c.hiddenSize()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) rnd.nextGaussian();
        }
        List<LoraCostModel.Path> paths = new ArrayList<>();
        for (LoraCostModel.Path path : LoraCostModel.Path.values()) {
            if (path == LoraCostModel.Path.SHARED && distinct != 1) {
                micros.put(path, Double.NaN);
            } else {
                paths.add(path);
            }
        }
        // the paths take turns over ROUNDS rounds and each keeps its median round, so a burst of load from
        // elsewhere on the machine lands on one round of one path rather than on one path's whole figure
        double[][] rounds = new double[paths.size()][ROUNDS];
        try (NDManager scope = root.newSubManager()) {
            NDArray x = EngineArrays.owned(scope, xs, new Shape(rows, positions, c.hiddenSize()));
            List<AdapterBatch> batches = new ArrayList<>();
            for (LoraCostModel.Path path : paths) {
                AdapterBatch batch = new AdapterBatch(scope, c, perRow, AdapterBatch.Strategy.valueOf(path.name()));
                batches.add(batch);
                work = batch.work(positions);
                warmUp(scope, batch, x);
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < paths.size(); i++) {
                    try (NDManager rep = scope.newSubManager()) { // the round's arrays, temporaries included
                        NDArray xr = EngineArrays.owned(rep, xs, new Shape(rows, positions, c.hiddenSize()));
                        rounds[i][round] = time(batches.get(i), xr);
                    }
                }
            }
            batches.forEach(AdapterBatch::close);
        }
        for (int i = 0; i < paths.size(); i++) {
            java.util.Arrays.sort(rounds[i]);
            micros.put(paths.get(i), rounds[i][ROUNDS / 2]);
        }
        return new Cell(c.hiddenSize(), rank, positions, rows, distinct, micros, work);
    }

    private static final int ROUNDS = 5;

    /** Two calls; the first builds the path's arrays. */
    private static void warmUp(NDManager scope, AdapterBatch batch, NDArray x) {
        for (int i = 0; i < 2; i++) {
            try (NDManager rep = scope.newSubManager()) {
                NDArray y = batch.apply(0, Projection.Q, x);
                y.attach(rep);
                y.toFloatArray();
            }
        }
    }

    /** Micros per call of the batch's q_proj term over one round; its arrays stay in x's manager. */
    private double time(AdapterBatch batch, NDArray x) {
        long budget = minNanosPerCell / ROUNDS;
        long t0 = clock.getAsLong();
        int reps = 0;
        NDArray last = null;
        long elapsed;
        do {
            // results and temporaries are freed after the round: freeing them would be timed too
            last = batch.apply(0, Projection.Q, x);
            reps++;
            if (reps % 16 == 0) {
                last.toFloatArray(); // waits for queued device work, so the clock sees it
            }
            elapsed = clock.getAsLong() - t0;
        } while ((elapsed < budget || reps < 3) && reps < 2000);
        last.toFloatArray();
        elapsed = clock.getAsLong() - t0;
        return elapsed / 1e3 / reps;
    }

    /** One forward pass of one row and one token, per layer. */
    public Pass pass(BaseModel model) {
        ModelConfig c = model.config();
        return new Pass(c.hiddenSize(), layerWeights(c),
                forwardMicros(model.transformer(), c, 1, WeightDelta.NONE) / c.numLayers());
    }

    /**
     * A decoding step of {@code rows} rows that all use one adapter of {@code rank} on every projection: on the
     * base model alone, with the adapter unmerged (the shared path), and on a copy with it merged.
     */
    public record Merge(int width, int rows, int rank, double baseMicros, double unmergedMicros, double mergedMicros,
                        double mergeMillis) {
    }

    public Merge merge(BaseModel model, int rows, int rank) throws AdapterMismatchException {
        ModelConfig c = model.config();
        Random rnd = new Random(rank);
        Map<Adapter.Site, Adapter.Factors> f = new LinkedHashMap<>();
        for (int l = 0; l < c.numLayers(); l++) {
            for (Projection p : Projection.values()) {
                long[] w = p.weightShape(c);
                f.put(new Adapter.Site(l, p), new Adapter.Factors(gaussian(rnd, rank, w[1]), gaussian(rnd, w[0], rank)));
            }
        }
        Adapter adapter = new Adapter("merge-bench", new AdapterConfig(rank, 2.0 * rank,
                EnumSet.allOf(Projection.class), false, null), f);
        NDManager root = model.transformer().weights().manager();
        try (AdapterWeights up = AdapterWeights.upload(adapter, null, model.transformer().weights());
             NDManager scope = root.newSubManager();
             AdapterBatch batch = new AdapterBatch(scope, c, java.util.Collections.nCopies(rows, up),
                     AdapterBatch.Strategy.SHARED)) {
            double base = forwardMicros(model.transformer(), c, rows, WeightDelta.NONE);
            double unmerged = forwardMicros(model.transformer(), c, rows, batch);
            long t0 = clock.getAsLong();
            try (MergedAdapter merged = MergedAdapter.merge(up, model.transformer().weights())) {
                double mergeMillis = (clock.getAsLong() - t0) / 1e6;
                double onCopy = forwardMicros(merged.transformer(), c, rows, WeightDelta.NONE);
                return new Merge(c.hiddenSize(), rows, rank, base, unmerged, onCopy, mergeMillis);
            }
        }
    }

    private static long layerWeights(ModelConfig c) {
        long n = 0;
        for (Projection p : Projection.values()) {
            long[] w = p.weightShape(c);
            n += w[0] * w[1];
        }
        return n;
    }

    /** Median micros of a one-token step of {@code rows} rows over the rounds. */
    private double forwardMicros(org.openledger.studio.gpu.model.Transformer t, ModelConfig c, int rows,
                                 WeightDelta delta) {
        NDManager root = t.weights().manager();
        long[][] tokens = new long[rows][1];
        int[] lengths = new int[rows];
        long[] logitsAt = new long[rows];
        for (int r = 0; r < rows; r++) {
            tokens[r][0] = 5 + r;
            lengths[r] = 1;
            logitsAt[r] = r;
        }
        double[] rounds = new double[ROUNDS];
        try (NDManager scope = root.newSubManager(); PagedKvCache cache = new PagedKvCache(scope, c, 16 * rows)) {
            for (int round = -1; round < ROUNDS; round++) { // round -1 warms up
                long total = 0;
                int reps = 0;
                while (total < minNanosPerCell / ROUNDS || reps < 3) {
                    List<PagedKvCache.Row> kv = new ArrayList<>();
                    for (int r = 0; r < rows; r++) {
                        kv.add(cache.reserve(16));
                    }
                    long t0 = clock.getAsLong();
                    try (NDManager step = scope.newSubManager()) {
                        t.forward(step, tokens, lengths, kv, cache, delta, logitsAt).toFloatArray();
                    }
                    total += clock.getAsLong() - t0;
                    reps++;
                    kv.forEach(cache::release);
                }
                if (round >= 0) {
                    rounds[round] = total / 1e3 / reps;
                }
            }
        }
        java.util.Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    /** The samples of the cells, for {@link LoraCostModel#fit}. */
    public static List<LoraCostModel.Sample> samples(List<Cell> cells) {
        List<LoraCostModel.Sample> out = new ArrayList<>();
        for (Cell cell : cells) {
            cell.micros().forEach((p, v) -> {
                if (!v.isNaN()) {
                    out.add(new LoraCostModel.Sample(p, cell.work(), v));
                }
            });
        }
        return out;
    }

    /** Fits micros = p0 + p1 · layer weights (millions) over the widths' passes. */
    public static double[] fitPass(List<Pass> passes) {
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Pass p : passes) {
            xs.add(new double[] {1, p.layerWeights() / 1e6});
            ys.add(p.micros());
        }
        return LoraCostModel.nonNegativeLeastSquares(xs, ys, 2);
    }

    /** A markdown table of the cells with the fitted model's pick and its cost against the fastest path. */
    public static String table(List<Cell> cells, LoraCostModel model) {
        StringBuilder b = new StringBuilder();
        b.append("| width | rank | pos/row | rows | adapters | shared µs | gathered µs | segmented µs | fastest |"
                + " model picks | picked / fastest |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Cell cell : cells) {
            LoraCostModel.Path pick = model.choose(cell.work(), cell.allowed());
            LoraCostModel.Path best = cell.fastest();
            b.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %s | %s | %s | %s | %s | %.2f |%n",
                    cell.width(), cell.rank(), cell.positions(), cell.rows(), cell.distinct(),
                    fmt(cell.micros().get(LoraCostModel.Path.SHARED)), fmt(cell.micros().get(LoraCostModel.Path.GATHERED)),
                    fmt(cell.micros().get(LoraCostModel.Path.SEGMENTED)), name(best), name(pick),
                    cell.micros().get(pick) / cell.micros().get(best)));
        }
        return b.toString();
    }

    /**
     * Over the cells: how often the model picks the fastest path, and the total time of its picks against the
     * total of always taking the fastest, always gathered and always segmented.
     */
    public static String summary(List<Cell> cells, LoraCostModel model) {
        int right = 0;
        double picked = 0;
        double best = 0;
        double gathered = 0;
        double segmented = 0;
        for (Cell cell : cells) {
            LoraCostModel.Path pick = model.choose(cell.work(), cell.allowed());
            LoraCostModel.Path fastest = cell.fastest();
            right += pick == fastest ? 1 : 0;
            picked += cell.micros().get(pick);
            best += cell.micros().get(fastest);
            gathered += cell.micros().get(LoraCostModel.Path.GATHERED);
            segmented += cell.micros().get(LoraCostModel.Path.SEGMENTED);
        }
        return String.format(Locale.ROOT, "model picks the fastest path in %d of %d cells; summed time of its picks"
                        + " %.3fx the fastest's, always-gathered %.3fx, always-segmented %.3fx", right, cells.size(),
                picked / best, gathered / best, segmented / best);
    }

    private static String fmt(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String name(LoraCostModel.Path p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    private static Adapter random(String id, ModelConfig c, int r, long seed) {
        Random rnd = new Random(seed);
        long[] w = Projection.Q.weightShape(c);
        Map<Adapter.Site, Adapter.Factors> f = new LinkedHashMap<>();
        f.put(new Adapter.Site(0, Projection.Q), new Adapter.Factors(gaussian(rnd, r, w[1]), gaussian(rnd, w[0], r)));
        return new Adapter(id, new AdapterConfig(r, 2.0 * r, EnumSet.of(Projection.Q), false, null), f);
    }

    private static Tensor gaussian(Random rnd, long rows, long cols) {
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.02 * rnd.nextGaussian());
        }
        return Tensor.of(v, rows, cols);
    }
}

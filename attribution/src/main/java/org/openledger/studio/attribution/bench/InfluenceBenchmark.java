package org.openledger.studio.attribution.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.openledger.studio.attribution.influence.Example;
import org.openledger.studio.attribution.influence.ExampleGradients;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.attribution.influence.InfluenceIndex;
import org.openledger.studio.attribution.influence.InfluenceIndexBuilder;
import org.openledger.studio.attribution.influence.InfluenceQuery;
import org.openledger.studio.attribution.influence.Preconditioner;
import org.openledger.studio.finetune.LoraTrainable;
import org.openledger.studio.finetune.TokenWindows;
import org.openledger.studio.finetune.Trainer;
import org.openledger.studio.finetune.TrainingConfig;
import org.openledger.studio.finetune.TrainingListener;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.EngineArrays;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.model.WeightDelta;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;
import org.openledger.studio.store.Folders;

/**
 * How faithful and how fast the influence engine is, measured end to end on a real base model (the CLI passes the
 * bundled model's folder):
 * <ol>
 *   <li><b>Planted facts</b>: distinctive "secret code" facts planted among ordinary rows, one LoRA trained on all
 *       of them as the node trains (packed windows, rank 8 on q/v), the index built; each fact's own answer is
 *       attributed and its row should rank first (recall@1), for the Gram preconditioner at several dampings and
 *       for TracIn (no preconditioner). Also the index build's per-example gradients/s.</li>
 *   <li><b>Linear datamodeling score</b> (LDS; Park et al. 2023): LoRAs retrained on random halves of a training
 *       set; for each held-out answer, the Spearman correlation across the halves between the retrained model's
 *       actual loss and the loss the scores predict. Scores come from one model trained on the full set. A
 *       positive score says the row lowers the answer's loss, so the predicted loss of a subset S is
 *       {@code -Σ_{i∈S} score_i} (the sum of the scores, negated): a perfect attribution correlates +1.</li>
 *   <li><b>Query speed</b>: a synthetic float16 index (random vectors, same file format), the time of
 *       {@link InfluenceIndex#scores} plus the top rows, p50 and p99.</li>
 * </ol>
 */
public final class InfluenceBenchmark {

    private static final String END_OF_TEXT = "<|endoftext|>";

    /**
     * What to measure and at what size.
     *
     * @param model          a Hugging Face model folder (config.json, model.safetensors, tokenizer.json)
     * @param work           scratch folder for the indexes (the speed index takes rows x k x 2 bytes)
     * @param seed           seeds the data, the subsets, the LoRA initialisation and the training order
     * @param device         cpu, gpu, gpu:N or auto
     * @param planted        whether to run the planted-facts part
     * @param facts          planted facts
     * @param ordinaryRows   ordinary rows they are planted among
     * @param epochs         passes over the planted-facts data (steps = epochs x tokens / (batch x context))
     * @param lds            whether to run the LDS part
     * @param ldsRows        training rows of the LDS set (60% town facts in 3 phrasings each, 40% ordinary)
     * @param ldsTests       held-out answers the LDS correlates
     * @param retrains       LoRAs retrained on random halves
     * @param ldsEpochs      passes over the data of the full model and of each retrain
     * @param lrMultiplier   times the node's base learning rate of 1e-3
     * @param rank           LoRA rank (alpha = 2 x rank, q_proj and v_proj, as the node's default)
     * @param batch          windows per step (the node's default is 4)
     * @param context        tokens per window (the node packs 128)
     * @param k              projected dimensions of the real indexes
     * @param dampings       Gram dampings compared (λ = damping x mean eigenvalue)
     * @param speed          whether to run the query-speed part
     * @param speedRows      rows of the synthetic index
     * @param speedK         its k
     * @param queries        timed queries (after {@code queries / 5 + 1} untimed)
     * @param topK           top rows taken per query
     */
    public record Options(Path model, Path work, long seed, String device,
                          boolean planted, int facts, int ordinaryRows, int epochs,
                          boolean lds, int ldsRows, int ldsTests, int retrains, int ldsEpochs,
                          double lrMultiplier, int rank, int batch, int context, int k, List<Double> dampings,
                          boolean speed, int speedRows, int speedK, int queries, int topK) {

        public Options {
            dampings = List.copyOf(dampings);
            if (dampings.isEmpty() || dampings.stream().anyMatch(d -> !(d > 0))) {
                throw new IllegalArgumentException("dampings must be positive, got " + dampings);
            }
        }

        /** The full benchmark. */
        public static Options defaults(Path model, Path work) {
            return new Options(model, work, 1, "cpu", true, 100, 2000, 20, true, 500, 40, 50, 10, 8.0, 8, 4, 128,
                    1024, List.of(0.001, 0.01, 0.1, 1.0, 10.0), true, 100_000, 1024, 50, 10);
        }

        /** A run of seconds that keeps the benchmark working (tests). */
        public static Options tiny(Path model, Path work) {
            return new Options(model, work, 1, "cpu", true, 4, 40, 3, true, 30, 4, 4, 2, 8.0, 8, 4, 128, 128,
                    List.of(0.1, 1.0), true, 3000, 128, 10, 10);
        }
    }

    /** Planted-facts results. recall1 maps a method (TracIn, or GRAM at a damping) to recall@1. */
    public record Planted(int facts, int rows, int steps, double trainSeconds, double answerLossBefore,
                          double answerLossAfter, int k, double buildSeconds, double gradientSeconds,
                          double gradientsPerSecond, Map<String, Double> recall1, Map<String, Double> recall10,
                          Map<String, Double> meanRank) {
    }

    /** LDS results: method -> mean Spearman over the test answers (and its standard error). */
    public record Lds(int rows, int tests, int retrains, int stepsFull, int stepsHalf, double fullTrainSeconds,
                      double retrainSeconds, double testLossBefore, double testLossFull, double meanLossSpread,
                      Map<String, Double> lds, Map<String, Double> standardError) {
    }

    /** Query-speed results, in milliseconds. */
    public record Speed(int rows, int k, long indexBytes, double writeSeconds, double openSeconds, int queries,
                        double p50Ms, double p99Ms, double meanMs, double maxMs) {
    }

    public record Report(Planted planted, Lds lds, Speed speed) {
    }

    /** The method names of the reports. */
    public static final String TRACIN = "TracIn";

    static String gram(double damping) {
        return "GRAM d=" + damping;
    }

    private InfluenceBenchmark() {
    }

    /**
     * {@code InfluenceBenchmark MODEL_DIR WORK_DIR [name=value ...]}: the defaults, with any {@link Options} field
     * overridden by name (lists comma-separated, e.g. {@code retrains=20 dampings=0.01,0.1}).
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: InfluenceBenchmark MODEL_DIR WORK_DIR [field=value ...]");
            System.exit(2);
        }
        Options o = Options.defaults(Path.of(args[0]), Path.of(args[1]));
        var components = Options.class.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = components[i].getAccessor().invoke(o);
        }
        for (int a = 2; a < args.length; a++) {
            String[] kv = args[a].split("=", 2);
            int i = 0;
            while (i < components.length && !components[i].getName().equals(kv[0])) {
                i++;
            }
            if (kv.length != 2 || i == components.length) {
                throw new IllegalArgumentException("not an option: " + args[a]);
            }
            Class<?> t = components[i].getType();
            values[i] = t == int.class ? Integer.valueOf(kv[1]) : t == long.class ? Long.valueOf(kv[1])
                    : t == double.class ? Double.valueOf(kv[1]) : t == boolean.class ? Boolean.valueOf(kv[1])
                    : t == Path.class ? Path.of(kv[1]) : t == List.class
                    ? Arrays.stream(kv[1].split(",")).map(Double::valueOf).toList() : kv[1];
        }
        Class<?>[] types = Arrays.stream(components).map(c -> c.getType()).toArray(Class<?>[]::new);
        run(Options.class.getDeclaredConstructor(types).newInstance(values), System.out);
    }

    /** Runs what {@code o} asks for and prints a readable report to {@code out}. */
    public static void run(Options o, PrintStream out) throws Exception {
        measure(o, out);
    }

    /** As {@link #run}, returning the numbers. */
    public static Report measure(Options o, PrintStream out) throws Exception {
        Files.createDirectories(o.work());
        out.printf(Locale.ROOT, "influence benchmark: model %s, seed %d, %d processors, %s%n", o.model(), o.seed(),
                Runtime.getRuntime().availableProcessors(), o.device());
        Planted planted = null;
        Lds lds = null;
        if (o.planted() || o.lds()) {
            try (BaseModel base = BaseModel.load(o.model(), DeviceScan.ofThisMachine().pick(o.device()), 64,
                    o.context())) {
                if (o.planted()) {
                    planted = planted(o, base, out);
                }
                if (o.lds()) {
                    lds = lds(o, base, out);
                }
            }
        }
        Speed speed = o.speed() ? speed(o, out) : null;
        Report r = new Report(planted, lds, speed);
        print(o, r, out);
        return r;
    }

    // ---------------------------------------------------------------------------------------------------------
    // planted facts

    private static Planted planted(Options o, BaseModel base, PrintStream out) throws IOException {
        TextTokenizer tok = base.requireTokenizer();
        List<BenchData.Row> facts = BenchData.plantedFacts(o.facts(), o.seed());
        List<BenchData.Row> rows = new ArrayList<>(BenchData.ordinary(o.ordinaryRows(), o.seed(), 200));
        rows.addAll(facts);
        BenchData.shuffle(rows, new SplittableRandom(o.seed() ^ 0x5A17L));
        List<Example> examples = new ArrayList<>();
        for (BenchData.Row r : rows) {
            examples.add(row(tok, r.text(), o.context()));
        }
        int[] factRow = new int[facts.size()];
        List<Example> answers = new ArrayList<>();
        for (int f = 0; f < facts.size(); f++) {
            factRow[f] = rows.indexOf(facts.get(f));
            answers.add(answer(tok, facts.get(f)));
        }
        out.printf(Locale.ROOT, "planted: %d facts among %d ordinary rows (%d tokens); training...%n", facts.size(),
                o.ordinaryRows(), tokens(examples));
        Transformer model = base.transformer();
        NDManager root = model.weights().manager();
        try (NDManager m = root.newSubManager();
             LoraTrainable lora = new LoraTrainable(model.config(), adapterConfig(o, base), o.seed(), m.newSubManager())) {
            double before = mean(losses(model, lora.delta(), answers, m));
            TrainingConfig tc = config(o, examples, o.epochs());
            long t0 = System.nanoTime();
            train(model, lora, tc, examples);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double after = mean(losses(model, lora.delta(), answers, m));
            out.printf(Locale.ROOT, "planted: trained %d steps in %.1f s; facts' answer loss %.3f -> %.3f%n",
                    tc.steps(), trainSeconds, before, after);
            Adapter adapter = lora.toAdapter("bench-planted");
            Path dir = o.work().resolve("planted-index");
            Folders.deleteTree(dir);
            List<IndexedRow> named = named(rows);
            try (ExampleGradients g = new ExampleGradients(model, adapter, m)) {
                long[] gradientsDone = {0};
                long b0 = System.nanoTime();
                InfluenceIndexBuilder.Spec spec = new InfluenceIndexBuilder.Spec("bench-planted", "seed-" + o.seed(),
                        base.id(), o.k(), o.seed(), Preconditioner.Kind.GRAM, Preconditioner.DEFAULT_DAMPING);
                InfluenceIndex index = InfluenceIndexBuilder.build(dir, spec, named, examples, g, m,
                        (done, total) -> {
                            if (done == total && gradientsDone[0] == 0) {
                                gradientsDone[0] = System.nanoTime();
                            }
                        }, () -> false);
                double buildSeconds = (System.nanoTime() - b0) / 1e9;
                double gradientSeconds = (gradientsDone[0] - b0) / 1e9;
                out.printf(Locale.ROOT, "planted: index of %d rows, k = %d, %d LoRA parameters: built in %.1f s"
                                + " (gradients %.1f s, %.0f per-example gradients/s)%n", rows.size(), index.k(),
                        g.parameters(), buildSeconds, gradientSeconds, rows.size() / gradientSeconds);
                Map<String, Preconditioner> methods = methods(o, index, m);
                Map<String, Double> recall1 = new LinkedHashMap<>();
                Map<String, Double> recall10 = new LinkedHashMap<>();
                Map<String, Double> meanRank = new LinkedHashMap<>();
                methods.keySet().forEach(n -> {
                    recall1.put(n, 0.0);
                    recall10.put(n, 0.0);
                    meanRank.put(n, 0.0);
                });
                try (InfluenceQuery q = new InfluenceQuery(index, g, m)) {
                    for (int f = 0; f < facts.size(); f++) {
                        float[] phi = q.projected(answers.get(f));
                        for (Map.Entry<String, Preconditioner> e : methods.entrySet()) {
                            float[] s = index.scores(e.getValue().apply(phi), false);
                            int rank = rank(s, factRow[f]);
                            recall1.merge(e.getKey(), rank == 1 ? 1.0 / facts.size() : 0, Double::sum);
                            recall10.merge(e.getKey(), rank <= 10 ? 1.0 / facts.size() : 0, Double::sum);
                            meanRank.merge(e.getKey(), (double) rank / facts.size(), Double::sum);
                        }
                    }
                }
                return new Planted(facts.size(), rows.size(), tc.steps(), trainSeconds, before, after, index.k(),
                        buildSeconds, gradientSeconds, rows.size() / gradientSeconds, recall1, recall10, meanRank);
            }
        }
    }

    /** 1 + the rows scoring strictly higher than {@code row}. */
    static int rank(float[] scores, int row) {
        int higher = 0;
        for (float s : scores) {
            if (s > scores[row]) {
                higher++;
            }
        }
        return 1 + higher;
    }

    /** TracIn, and the Gram preconditioner at each damping, from the index's own stored (float16) vectors. */
    private static Map<String, Preconditioner> methods(Options o, InfluenceIndex index, NDManager m) {
        int n = index.rows();
        int k = index.k();
        double[] sum = new double[k * k];
        int block = 2048;
        for (int from = 0; from < n; from += block) {
            int rows = Math.min(block, n - from);
            float[] phi = new float[rows * k];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(index.gradient(from + r), 0, phi, r * k, k);
            }
            try (NDManager scope = m.newSubManager()) {
                NDArray a = EngineArrays.owned(scope, phi, new Shape(rows, k));
                float[] g = a.transpose().matMul(a).toFloatArray();
                for (int i = 0; i < g.length; i++) {
                    sum[i] += g[i];
                }
            }
        }
        Map<String, Preconditioner> out = new LinkedHashMap<>();
        out.put(TRACIN, Preconditioner.identity(k));
        for (double d : o.dampings()) {
            out.put(gram(d), Preconditioner.gram(sum, n, k, d));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // linear datamodeling score

    private static Lds lds(Options o, BaseModel base, PrintStream out) throws IOException {
        TextTokenizer tok = base.requireTokenizer();
        int factRows = (int) Math.round(o.ldsRows() * 0.6 / 3) * 3;
        BenchData.TownFacts data = BenchData.townFacts(factRows, 3, o.ldsRows() - factRows, o.ldsTests(), o.seed());
        List<BenchData.Row> rows = data.train();
        List<Example> examples = new ArrayList<>();
        for (BenchData.Row r : rows) {
            examples.add(row(tok, r.text(), o.context()));
        }
        List<Example> tests = new ArrayList<>();
        for (BenchData.Row r : data.test()) {
            tests.add(answer(tok, r));
        }
        int n = rows.size();
        Transformer model = base.transformer();
        NDManager root = model.weights().manager();
        AdapterConfig ac = adapterConfig(o, base);
        Map<String, float[][]> scores = new LinkedHashMap<>(); // method -> [test][row]
        double lossBefore;
        double lossFull;
        double fullSeconds;
        int stepsFull;
        out.printf(Locale.ROOT, "lds: %d rows (%d town-fact rows, 3 phrasings a fact; %d ordinary), %d held-out"
                + " answers; training the full model...%n", n, factRows, n - factRows, tests.size());
        try (NDManager m = root.newSubManager();
             LoraTrainable lora = new LoraTrainable(model.config(), ac, o.seed(), m.newSubManager())) {
            lossBefore = mean(losses(model, lora.delta(), tests, m));
            TrainingConfig tc = config(o, examples, o.ldsEpochs());
            stepsFull = tc.steps();
            long t0 = System.nanoTime();
            train(model, lora, tc, examples);
            fullSeconds = (System.nanoTime() - t0) / 1e9;
            lossFull = mean(losses(model, lora.delta(), tests, m));
            Path dir = o.work().resolve("lds-index");
            Folders.deleteTree(dir);
            try (ExampleGradients g = new ExampleGradients(model, lora.toAdapter("bench-lds"), m)) {
                InfluenceIndex index = InfluenceIndexBuilder.build(dir, new InfluenceIndexBuilder.Spec("bench-lds",
                                "seed-" + o.seed(), base.id(), o.k(), o.seed(), Preconditioner.Kind.IDENTITY, 0),
                        named(rows), examples, g, m, InfluenceIndexBuilder.Listener.NONE, () -> false);
                Map<String, Preconditioner> methods = methods(o, index, m);
                methods.keySet().forEach(name -> scores.put(name, new float[tests.size()][]));
                try (InfluenceQuery q = new InfluenceQuery(index, g, m)) {
                    for (int t = 0; t < tests.size(); t++) {
                        float[] phi = q.projected(tests.get(t));
                        for (Map.Entry<String, Preconditioner> e : methods.entrySet()) {
                            scores.get(e.getKey())[t] = index.scores(e.getValue().apply(phi), false);
                        }
                    }
                }
            }
        }
        out.printf(Locale.ROOT, "lds: full model %d steps in %.1f s, held-out answer loss %.3f -> %.3f; %d retrains"
                + " on random halves...%n", stepsFull, fullSeconds, lossBefore, lossFull, o.retrains());
        double[][] actual = new double[o.retrains()][];
        boolean[][] subsets = new boolean[o.retrains()][n];
        int stepsHalf = 0;
        long r0 = System.nanoTime();
        for (int s = 0; s < o.retrains(); s++) {
            SplittableRandom rnd = new SplittableRandom(o.seed() * 1_000_003L + s);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            BenchData.shuffle(order, rnd);
            for (int i = 0; i < n / 2; i++) {
                subsets[s][order.get(i)] = true;
            }
            List<Example> half = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (subsets[s][i]) {
                    half.add(examples.get(i));
                }
            }
            try (NDManager m = root.newSubManager();
                 LoraTrainable lora = new LoraTrainable(model.config(), ac, o.seed(), m.newSubManager())) {
                TrainingConfig tc = config(o, half, o.ldsEpochs());
                stepsHalf = tc.steps();
                train(model, lora, tc, half);
                actual[s] = losses(model, lora.delta(), tests, m);
            }
            if ((s + 1) % 10 == 0 || s + 1 == o.retrains()) {
                out.printf(Locale.ROOT, "lds: %d of %d retrains, %.1f s each%n", s + 1, o.retrains(),
                        (System.nanoTime() - r0) / 1e9 / (s + 1));
            }
        }
        double retrainSeconds = (System.nanoTime() - r0) / 1e9 / o.retrains();
        double spread = 0;
        for (int t = 0; t < tests.size(); t++) {
            double[] a = column(actual, t);
            spread += std(a) / tests.size();
        }
        Map<String, Double> lds = new LinkedHashMap<>();
        Map<String, Double> se = new LinkedHashMap<>();
        for (Map.Entry<String, float[][]> e : scores.entrySet()) {
            double[] rho = new double[tests.size()];
            for (int t = 0; t < tests.size(); t++) {
                double[] predicted = new double[o.retrains()];
                for (int s = 0; s < o.retrains(); s++) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        if (subsets[s][i]) {
                            sum += e.getValue()[t][i];
                        }
                    }
                    predicted[s] = -sum; // a positive score lowers the loss
                }
                rho[t] = spearman(column(actual, t), predicted);
            }
            double[] finite = Arrays.stream(rho).filter(Double::isFinite).toArray();
            lds.put(e.getKey(), mean(finite));
            se.put(e.getKey(), finite.length > 1 ? std(finite) / Math.sqrt(finite.length) : Double.NaN);
        }
        return new Lds(n, tests.size(), o.retrains(), stepsFull, stepsHalf, fullSeconds, retrainSeconds, lossBefore,
                lossFull, spread, lds, se);
    }

    private static double[] column(double[][] a, int t) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i][t];
        }
        return out;
    }

    /** Spearman's rank correlation (ties get their mean rank); NaN when either side is constant. */
    static double spearman(double[] x, double[] y) {
        return pearson(ranks(x), ranks(y));
    }

    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int p = i; p <= j; p++) {
                r[order[p]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    // ---------------------------------------------------------------------------------------------------------
    // query speed

    private static Speed speed(Options o, PrintStream out) throws IOException {
        Path dir = o.work().resolve("speed-index");
        int k = o.speedK();
        int parameters = Math.max(k + 1, 16_384);
        List<IndexedRow> rows = new ArrayList<>(o.speedRows());
        for (int i = 0; i < o.speedRows(); i++) {
            rows.add(new IndexedRow("line:" + (i + 1), null, null, null, null, "synthetic row " + i));
        }
        out.printf(Locale.ROOT, "speed: writing a synthetic index of %d rows x k = %d...%n", o.speedRows(), k);
        long w0 = System.nanoTime();
        InfluenceIndex index;
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            index = InfluenceIndexBuilder.fromVectors(dir, new InfluenceIndexBuilder.Spec("bench-speed", "synthetic",
                    "synthetic", k, o.seed(), Preconditioner.Kind.GRAM, Preconditioner.DEFAULT_DAMPING), parameters,
                    rows, row -> gaussian(new SplittableRandom(o.seed() * 31 + row), k, 1e-2), m,
                    InfluenceIndexBuilder.SHARD_ROWS);
        }
        double writeSeconds = (System.nanoTime() - w0) / 1e9;
        long o0 = System.nanoTime();
        index = InfluenceIndex.open(dir);
        double openSeconds = (System.nanoTime() - o0) / 1e9;
        SplittableRandom rnd = new SplittableRandom(o.seed() ^ 0x5EEDL);
        int warm = o.queries() / 5 + 1;
        double[] ms = new double[o.queries()];
        long sink = 0;
        for (int i = 0; i < warm + o.queries(); i++) {
            float[] q = gaussian(rnd, k, 1e-2);
            long t0 = System.nanoTime();
            float[] s = index.scores(q, true);
            List<InfluenceIndex.Scored> top = InfluenceIndex.top(s, o.topK());
            long t1 = System.nanoTime();
            sink += top.get(0).row();
            if (i >= warm) {
                ms[i - warm] = (t1 - t0) / 1e6;
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        Speed sp = new Speed(index.rows(), index.k(), index.bytes(), writeSeconds, openSeconds, o.queries(),
                percentile(sorted, 0.5), percentile(sorted, 0.99), mean(ms), sorted[sorted.length - 1]);
        if (sink == Long.MIN_VALUE) {
            out.println(sink);
        }
        return sp;
    }

    private static float[] gaussian(SplittableRandom rnd, int k, double scale) {
        float[] v = new float[k];
        for (int j = 0; j < k; j++) {
            // Box-Muller
            double u = 1 - rnd.nextDouble();
            double w = rnd.nextDouble();
            v[j] = (float) (scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w));
        }
        return v;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    // ---------------------------------------------------------------------------------------------------------
    // training and losses, as the node does them

    private static AdapterConfig adapterConfig(Options o, BaseModel base) {
        return new AdapterConfig(o.rank(), 2.0 * o.rank(), Set.of(Projection.Q, Projection.V), false, base.id());
    }

    /** A plain-text row as the node packs it: opened by end-of-text, which is context, not a target. */
    static Example row(TextTokenizer tok, String text, int context) {
        long[] ids = tok.encodeWithSpecialTokens(END_OF_TEXT + text);
        if (ids.length > context) {
            ids = Arrays.copyOf(ids, context);
        }
        return Example.text(ids);
    }

    /** A fact's answer: its prompt (opened by end-of-text) read, its answer the target. */
    static Example answer(TextTokenizer tok, BenchData.Row fact) {
        long[] full = tok.encodeWithSpecialTokens(END_OF_TEXT + fact.text());
        long[] prompt = tok.encodeWithSpecialTokens(END_OF_TEXT + fact.prompt());
        if (prompt.length < full.length && Arrays.equals(prompt, Arrays.copyOf(full, prompt.length))) {
            return Example.completion(prompt, Arrays.copyOfRange(full, prompt.length, full.length));
        }
        return Example.completion(prompt, tok.encode(fact.answer()));
    }

    private static long tokens(List<Example> examples) {
        return examples.stream().mapToLong(Example::length).sum();
    }

    /** The node's step count: epochs x packed tokens / tokens per step, and its schedule. */
    private static TrainingConfig config(Options o, List<Example> examples, int epochs) {
        long perStep = (long) o.batch() * o.context();
        int steps = (int) Math.max(2, (epochs * tokens(examples) + perStep - 1) / perStep);
        return TrainingConfig.defaults(steps, o.batch(), o.context(), 1e-3 * o.lrMultiplier(), o.seed())
                .withEvaluation(0, 1).withCheckpointEvery(0);
    }

    private static void train(Transformer model, LoraTrainable lora, TrainingConfig tc, List<Example> examples)
            throws IOException {
        int total = (int) tokens(examples);
        int[] stream = new int[Math.max(total, tc.contextLength() + 1)];
        int at = 0;
        for (Example e : examples) {
            for (long t : e.tokens()) {
                stream[at++] = (int) t;
            }
        }
        for (int i = at; i < stream.length; i++) { // too little data for one window: repeat it
            stream[i] = stream[i - at];
        }
        new Trainer(model, lora, tc, new TokenWindows(stream, new int[0])).run(null, TrainingListener.NONE,
                () -> false);
    }

    /** Each example's mean loss over its targets under the base model plus {@code delta}. */
    static double[] losses(Transformer model, WeightDelta delta, List<Example> examples, NDManager parent) {
        double[] out = new double[examples.size()];
        int batch = 32;
        for (int from = 0; from < examples.size(); from += batch) {
            int rows = Math.min(batch, examples.size() - from);
            int width = 1;
            for (int r = 0; r < rows; r++) {
                width = Math.max(width, examples.get(from + r).length() - 1);
            }
            long[][] inputs = new long[rows][width];
            long[] next = new long[rows * width];
            int[] lengths = new int[rows];
            for (int r = 0; r < rows; r++) {
                Example e = examples.get(from + r);
                int len = Math.max(0, e.length() - 1);
                lengths[r] = Math.max(1, len);
                for (int t = 0; t < len; t++) {
                    inputs[r][t] = e.tokens()[t];
                    next[r * width + t] = e.tokens()[t + 1];
                }
            }
            try (NDManager scope = parent.newSubManager();
                 KvCache cache = new KvCache(scope, model.config().numLayers(), rows, width)) {
                NDArray logits = attach(scope, model.forward(scope, inputs, lengths, cache, delta, true));
                NDArray logp = attach(scope, logits.logSoftmax(-1)).reshape(rows * (long) width,
                        model.config().vocabSize());
                float[] picked = attach(scope, logp.gather(EngineArrays.owned(scope, next,
                        new Shape(rows * (long) width, 1)), 1)).toFloatArray();
                for (int r = 0; r < rows; r++) {
                    Example e = examples.get(from + r);
                    double sum = 0;
                    int count = 0;
                    for (int t = 0; t + 1 < e.length(); t++) {
                        if (e.targets()[t + 1]) {
                            sum -= picked[r * width + t];
                            count++;
                        }
                    }
                    out[from + r] = count == 0 ? 0 : sum / count;
                }
            }
        }
        return out;
    }

    private static NDArray attach(NDManager scope, NDArray a) {
        if (a.getManager() != scope) {
            a.attach(scope);
        }
        return a;
    }

    private static List<IndexedRow> named(List<BenchData.Row> rows) {
        List<IndexedRow> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            out.add(new IndexedRow("line:" + (i + 1), null, null, null, null, rows.get(i).text()));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the report

    private static void print(Options o, Report r, PrintStream out) {
        out.println();
        out.println("== influence benchmark ==");
        out.printf(Locale.ROOT, "LoRA r=%d alpha %d on q_proj, v_proj; lr %.0e (1e-3 x %.1f), batch %d x %d tokens;"
                        + " k = %d%n", o.rank(), 2 * o.rank(), 1e-3 * o.lrMultiplier(), o.lrMultiplier(), o.batch(),
                o.context(), o.k());
        if (r.planted() != null) {
            Planted p = r.planted();
            out.printf(Locale.ROOT, "planted facts: %d among %d rows, %d epochs = %d steps in %.1f s; answer loss"
                            + " %.3f before, %.3f after%n", p.facts(), p.rows(), o.epochs(), p.steps(), p.trainSeconds(),
                    p.answerLossBefore(), p.answerLossAfter());
            out.printf(Locale.ROOT, "  index build: %.1f s (gradients %.1f s) = %.0f per-example gradients/s"
                    + " (aim >= 1000)%n", p.buildSeconds(), p.gradientSeconds(), p.gradientsPerSecond());
            out.printf(Locale.ROOT, "  %-16s %9s %9s %10s%n", "method", "recall@1", "recall@10", "mean rank");
            for (String m : p.recall1().keySet()) {
                out.printf(Locale.ROOT, "  %-16s %9.3f %9.3f %10.1f%n", m, p.recall1().get(m), p.recall10().get(m),
                        p.meanRank().get(m));
            }
        }
        if (r.lds() != null) {
            Lds l = r.lds();
            out.printf(Locale.ROOT, "LDS: %d rows, %d held-out answers, %d retrains on halves (%d steps each, %.1f s"
                            + " each; full model %d steps); answer loss %.3f base, %.3f full; mean std of the actual"
                            + " loss across halves %.3f%n", l.rows(), l.tests(), l.retrains(), l.stepsHalf(),
                    l.retrainSeconds(), l.stepsFull(), l.testLossBefore(), l.testLossFull(), l.meanLossSpread());
            out.printf(Locale.ROOT, "  %-16s %8s %8s%n", "method", "LDS", "± s.e.");
            for (String m : l.lds().keySet()) {
                out.printf(Locale.ROOT, "  %-16s %8.3f %8.3f%n", m, l.lds().get(m), l.standardError().get(m));
            }
        }
        if (r.speed() != null) {
            Speed s = r.speed();
            out.printf(Locale.ROOT, "query speed: %d rows x k = %d (%.0f MiB float16; written in %.1f s, opened in"
                            + " %.1f s), scores + top %d over %d queries: p50 %.1f ms, p99 %.1f ms, mean %.1f ms,"
                            + " max %.1f ms (aim p50 <= 20 ms)%n", s.rows(), s.k(), s.indexBytes() / 1048576.0,
                    s.writeSeconds(), s.openSeconds(), o.topK(), s.queries(), s.p50Ms(), s.p99Ms(), s.meanMs(),
                    s.maxMs());
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return v.length < 2 ? 0 : Math.sqrt(s / (v.length - 1));
    }
}

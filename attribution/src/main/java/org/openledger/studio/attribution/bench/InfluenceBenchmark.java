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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.openledger.studio.attribution.influence.Example;
import org.openledger.studio.attribution.influence.ExampleGradients;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.attribution.influence.InfluenceIndex;
import org.openledger.studio.attribution.influence.InfluenceIndexBuilder;
import org.openledger.studio.attribution.influence.InfluenceQuery;
import org.openledger.studio.attribution.influence.Preconditioner;
import org.openledger.studio.finetune.LoraTrainable;
import org.openledger.studio.finetune.TrainingConfig;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.EngineArrays;
import org.openledger.studio.gpu.model.Transformer;
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
        Speed speed = o.speed() ? QuerySpeed.measure(o, out) : null;
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
            examples.add(BenchTraining.row(tok, r.text(), o.context()));
        }
        int[] factRow = new int[facts.size()];
        List<Example> answers = new ArrayList<>();
        for (int f = 0; f < facts.size(); f++) {
            factRow[f] = rows.indexOf(facts.get(f));
            answers.add(BenchTraining.answer(tok, facts.get(f)));
        }
        out.printf(Locale.ROOT, "planted: %d facts among %d ordinary rows (%d tokens); training...%n", facts.size(),
                o.ordinaryRows(), BenchTraining.tokens(examples));
        Transformer model = base.transformer();
        NDManager root = model.weights().manager();
        try (NDManager m = root.newSubManager();
             LoraTrainable lora = new LoraTrainable(model.config(), BenchTraining.adapterConfig(o, base), o.seed(),
                     m.newSubManager())) {
            double before = BenchStats.mean(BenchTraining.losses(model, lora.delta(), answers, m));
            TrainingConfig tc = BenchTraining.config(o, examples, o.epochs());
            long t0 = System.nanoTime();
            BenchTraining.train(model, lora, tc, examples);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double after = BenchStats.mean(BenchTraining.losses(model, lora.delta(), answers, m));
            out.printf(Locale.ROOT, "planted: trained %d steps in %.1f s; facts' answer loss %.3f -> %.3f%n",
                    tc.steps(), trainSeconds, before, after);
            Adapter adapter = lora.toAdapter("bench-planted");
            Path dir = o.work().resolve("planted-index");
            Folders.deleteTree(dir);
            List<IndexedRow> named = BenchTraining.named(rows);
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
                            int rank = BenchStats.rank(s, factRow[f]);
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
            examples.add(BenchTraining.row(tok, r.text(), o.context()));
        }
        List<Example> tests = new ArrayList<>();
        for (BenchData.Row r : data.test()) {
            tests.add(BenchTraining.answer(tok, r));
        }
        int n = rows.size();
        Transformer model = base.transformer();
        NDManager root = model.weights().manager();
        AdapterConfig ac = BenchTraining.adapterConfig(o, base);
        Map<String, float[][]> scores = new LinkedHashMap<>(); // method -> [test][row]
        double lossBefore;
        double lossFull;
        double fullSeconds;
        int stepsFull;
        out.printf(Locale.ROOT, "lds: %d rows (%d town-fact rows, 3 phrasings a fact; %d ordinary), %d held-out"
                + " answers; training the full model...%n", n, factRows, n - factRows, tests.size());
        try (NDManager m = root.newSubManager();
             LoraTrainable lora = new LoraTrainable(model.config(), ac, o.seed(), m.newSubManager())) {
            lossBefore = BenchStats.mean(BenchTraining.losses(model, lora.delta(), tests, m));
            TrainingConfig tc = BenchTraining.config(o, examples, o.ldsEpochs());
            stepsFull = tc.steps();
            long t0 = System.nanoTime();
            BenchTraining.train(model, lora, tc, examples);
            fullSeconds = (System.nanoTime() - t0) / 1e9;
            lossFull = BenchStats.mean(BenchTraining.losses(model, lora.delta(), tests, m));
            Path dir = o.work().resolve("lds-index");
            Folders.deleteTree(dir);
            try (ExampleGradients g = new ExampleGradients(model, lora.toAdapter("bench-lds"), m)) {
                InfluenceIndex index = InfluenceIndexBuilder.build(dir, new InfluenceIndexBuilder.Spec("bench-lds",
                                "seed-" + o.seed(), base.id(), o.k(), o.seed(), Preconditioner.Kind.IDENTITY, 0),
                        BenchTraining.named(rows), examples, g, m, InfluenceIndexBuilder.Listener.NONE, () -> false);
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
                TrainingConfig tc = BenchTraining.config(o, half, o.ldsEpochs());
                stepsHalf = tc.steps();
                BenchTraining.train(model, lora, tc, half);
                actual[s] = BenchTraining.losses(model, lora.delta(), tests, m);
            }
            if ((s + 1) % 10 == 0 || s + 1 == o.retrains()) {
                out.printf(Locale.ROOT, "lds: %d of %d retrains, %.1f s each%n", s + 1, o.retrains(),
                        (System.nanoTime() - r0) / 1e9 / (s + 1));
            }
        }
        double retrainSeconds = (System.nanoTime() - r0) / 1e9 / o.retrains();
        double spread = 0;
        for (int t = 0; t < tests.size(); t++) {
            double[] a = BenchStats.column(actual, t);
            spread += BenchStats.std(a) / tests.size();
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
                rho[t] = BenchStats.spearman(BenchStats.column(actual, t), predicted);
            }
            double[] finite = Arrays.stream(rho).filter(Double::isFinite).toArray();
            lds.put(e.getKey(), BenchStats.mean(finite));
            se.put(e.getKey(), finite.length > 1 ? BenchStats.std(finite) / Math.sqrt(finite.length) : Double.NaN);
        }
        return new Lds(n, tests.size(), o.retrains(), stepsFull, stepsHalf, fullSeconds, retrainSeconds, lossBefore,
                lossFull, spread, lds, se);
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
                            + " %.3f before, %.3f after%n", p.facts(), p.rows(), o.epochs(), p.steps(),
                    p.trainSeconds(), p.answerLossBefore(), p.answerLossAfter());
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
}

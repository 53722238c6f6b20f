package org.openledger.studio.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;

/**
 * Training speed and memory of one model under full fine-tuning and LoRA, each through the real {@link Trainer}:
 * {@code warmup} unmeasured steps, then the median wall time of {@code steps} optimiser steps (a step = forward,
 * backward, clipping, AdamW update over {@code batch} windows of {@code context} random tokens).
 *
 * <p>Memory is reported two ways. Exactly, from the shapes: every weight once in float32, plus for each trained
 * value its gradient and AdamW's two moments (so a trained value costs 16 bytes, a frozen one 4). And as measured:
 * the process's peak resident set during the mode's run (high-water mark reset when the run starts) minus the
 * resident set once the model is loaded and the engine primed by one tiny LoRA step. Freed native memory stays
 * with the allocator, so modes run from the smallest expected footprint to the largest (LoRA before full): a
 * later mode then re-uses, rather than hides, what an earlier one left. Full fine-tuning writes the base weights,
 * so it runs last; LoRA never writes them.
 */
public final class TrainingBenchmark {

    /** What is trained. */
    public enum Mode {
        LORA_QV("LoRA r=8 q,v", EnumSet.of(Projection.Q, Projection.V)),
        LORA_ALL("LoRA r=8 all 7 projections", EnumSet.allOf(Projection.class)),
        FULL("full fine-tuning", EnumSet.noneOf(Projection.class));

        private final String label;
        private final Set<Projection> targets;

        Mode(String label, Set<Projection> targets) {
            this.label = label;
            this.targets = targets;
        }

        public String label() {
            return label;
        }
    }

    public static final int LORA_RANK = 8;
    public static final double LORA_ALPHA = 16;

    /**
     * @param warmupSteps steps run first and not measured (at least 0)
     * @param steps       measured steps (at least 1)
     */
    public record Settings(int warmupSteps, int steps, int batch, int context, long seed) {
        public Settings {
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("warm-up steps must be 0 or more, got " + warmupSteps);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("measured steps must be at least 1, got " + steps);
            }
            if (batch < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batch);
            }
            if (context < 2) {
                throw new IllegalArgumentException("context must be at least 2 tokens, got " + context);
            }
        }

        public long tokensPerStep() {
            return (long) batch * context;
        }
    }

    /**
     * One mode's figures.
     *
     * @param peakRssGrowthBytes peak resident set during the run minus the model's resident baseline; -1 where the
     *                           platform does not report it
     * @param exactBytes         weights (base and adapter) x 4 + trained values x 4 x 3 (gradient, AdamW m and v)
     * @param nonFiniteSteps     steps whose loss was not finite (the trainer skips their update)
     */
    public record Measurement(Mode mode, long trainableParameters, long exactBytes, double medianStepSeconds,
                              double tokensPerSecond, long peakRssGrowthBytes, double lastLoss, int nonFiniteSteps) {
    }

    /** A model's results, modes in the order they ran; {@link #full()} is the baseline. */
    public record Report(String model, ModelConfig config, long parameters, List<Measurement> measurements) {
        public Measurement full() {
            return measurements.stream().filter(m -> m.mode() == Mode.FULL).findFirst().orElse(null);
        }
    }

    /** The random model of issue 6: Llama, 4 layers, width 512, SwiGLU 1376, 8 heads (no GQA), vocab 4096. */
    public static ModelConfig d512(int context) {
        return ModelConfig.llama(512, 1376, 4, 8, 8, 4096, Math.max(256, context));
    }

    private final Settings settings;
    private final Consumer<String> progress;

    public TrainingBenchmark(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Runs every mode in {@code modes} (in {@link Mode} order, full last) on {@code model}. Full fine-tuning leaves the
     * model's weights changed.
     */
    public Report run(String name, Transformer model, Set<Mode> modes) throws IOException {
        ModelConfig c = model.config();
        if (settings.context() > c.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("a context of " + settings.context() + " exceeds the "
                    + c.maxPositionEmbeddings() + " positions of " + name);
        }
        TokenWindows data = randomTokens(c.vocabSize());
        // one tiny step first: the engine's one-time set-up (autograd threads, kernels) is not charged to a mode
        trainOnce(model, Mode.LORA_QV, new Settings(0, 1, 1, Math.min(16, settings.context()), settings.seed()),
                data);
        System.gc();
        long baseline = ProcessMemory.residentBytes();
        List<Measurement> out = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            if (!modes.contains(mode)) {
                continue;
            }
            progress.accept(name + ": " + mode.label() + " ...");
            boolean peakReset = ProcessMemory.resetPeak();
            Measurement m = trainOnce(model, mode, settings, data);
            long peak = ProcessMemory.peakBytes();
            long growth = peakReset && baseline >= 0 && peak >= 0 ? Math.max(0, peak - baseline) : -1;
            m = new Measurement(m.mode(), m.trainableParameters(), m.exactBytes(), m.medianStepSeconds(),
                    m.tokensPerSecond(), growth, m.lastLoss(), m.nonFiniteSteps());
            progress.accept(String.format(java.util.Locale.ROOT, "%s: %s: median step %.1f ms, loss %.3f", name,
                    mode.label(), m.medianStepSeconds() * 1e3, m.lastLoss()));
            out.add(m);
        }
        return new Report(name, c, c.parameterCount(), List.copyOf(out));
    }

    private Measurement trainOnce(Transformer model, Mode mode, Settings s, TokenWindows data)
            throws IOException {
        int total = s.warmupSteps() + s.steps();
        TrainingConfig tc = TrainingConfig.defaults(total, s.batch(), s.context(),
                mode == Mode.FULL ? 1e-4 : 1e-3, s.seed()).withWarmup(0).withEvaluation(0, 1).withCheckpointEvery(0);
        long[] stamps = new long[total + 1];
        double[] lastLoss = {Double.NaN};
        int[] nonFinite = {0};
        TrainingListener timer = new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                stamps[r.step()] = System.nanoTime();
                lastLoss[0] = r.loss();
                if (!Double.isFinite(r.loss())) {
                    nonFinite[0]++;
                }
            }
        };
        ModelConfig c = model.config();
        long weights = c.parameterCount() * Float.BYTES;
        if (mode == Mode.FULL) {
            Trainable all = Trainable.allWeights(model.weights());
            long trainable = count(all);
            stamps[0] = System.nanoTime();
            new Trainer(model, all, tc, data).run(null, timer, () -> false);
            return measured(mode, trainable, weights + trainable * Float.BYTES * 3, s, stamps, lastLoss[0],
                    nonFinite[0]);
        }
        AdapterConfig ac = new AdapterConfig(LORA_RANK, LORA_ALPHA, mode.targets, false, "benchmark");
        try (NDManager m = model.weights().manager().newSubManager();
             LoraTrainable lora = new LoraTrainable(c, ac, s.seed(), m.newSubManager())) {
            long trainable = count(lora);
            stamps[0] = System.nanoTime();
            new Trainer(model, lora, tc, data).run(null, timer, () -> false);
            return measured(mode, trainable, weights + trainable * Float.BYTES * 4, s, stamps, lastLoss[0],
                    nonFinite[0]);
        }
    }

    private static Measurement measured(Mode mode, long trainable, long exactBytes, Settings s, long[] stamps,
                                        double lastLoss, int nonFinite) {
        double[] seconds = new double[s.steps()];
        for (int i = 0; i < s.steps(); i++) {
            int step = s.warmupSteps() + i + 1;
            seconds[i] = (stamps[step] - stamps[step - 1]) / 1e9;
        }
        double median = median(seconds);
        return new Measurement(mode, trainable, exactBytes, median, s.tokensPerStep() / median, -1, lastLoss,
                nonFinite);
    }

    static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long count(Trainable t) {
        long n = 0;
        for (NDArray p : t.parameters().values()) {
            n += p.getShape().size();
        }
        return n;
    }

    /** A seeded stream of uniform random token ids: timing does not depend on the text, only on its shape. */
    private TokenWindows randomTokens(int vocab) {
        SplittableRandom rnd = new SplittableRandom(settings.seed());
        int[] train = new int[Math.max(65_536, 4 * (settings.context() + 1))];
        for (int i = 0; i < train.length; i++) {
            train[i] = rnd.nextInt(vocab);
        }
        return new TokenWindows(train, new int[0]);
    }
}

package org.openledger.studio.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.model.EngineArrays;
import org.openledger.studio.gpu.model.Gradients;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * Next-token language-model training on packed token windows, over whatever {@link Trainable} says changes:
 * per step, {@code accumulation} micro-batches of summed gradients (each loss scaled by 1/accumulation), the
 * global gradient norm clipped, one AdamW update at the step's learning rate; validation loss every
 * {@code evalEvery} steps; a checkpoint every {@code checkpointEvery} steps and at the end. {@link #run} resumes
 * from the checkpoint it finds, and because data order and updates depend only on (seed, step), a resumed run
 * ends where an uninterrupted one does. A step whose loss or gradient norm is not finite is skipped, never applied.
 */
public final class Trainer {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Trainer.class);

    /**
     * Steps whose loss or gradient is not finite are not applied (the parameters keep their last finite values,
     * as loss-scaling trainers skip overflowing steps); after this many in a row the run stops as diverged rather
     * than writing an adapter of NaNs.
     */
    static final int MAX_NON_FINITE_STEPS = 3;

    private static final ai.djl.ndarray.index.NDIndex EVERYTHING = new ai.djl.ndarray.index.NDIndex("...");

    private final Transformer model;
    private final Trainable trainable;
    private final TrainingConfig config;
    private final TokenWindows data;
    private TrainingCheckpoint.Writer checkpointWriter = TrainingCheckpoint::write;

    public Trainer(Transformer model, Trainable trainable, TrainingConfig config, TokenWindows data) {
        this.model = model;
        this.trainable = trainable;
        this.config = config;
        this.data = data;
        if (config.contextLength() > model.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("context length " + config.contextLength() + " exceeds the model's "
                    + model.config().maxPositionEmbeddings() + " positions");
        }
    }

    /** Writes checkpoints through {@code writer} instead of {@link TrainingCheckpoint#write} (fault injection). */
    public Trainer checkpointWriter(TrainingCheckpoint.Writer writer) {
        this.checkpointWriter = writer;
        return this;
    }

    /** What a finished run reports. */
    public record Result(int steps, double lastLoss, Double validationLoss, long tokensSeen, double tokensPerSecond,
                         int resumedFrom) {
        public Double validationPerplexity() {
            return validationLoss == null ? null : Math.exp(validationLoss);
        }
    }

    /**
     * Trains to {@code config.steps()}.
     *
     * @param checkpoints folder for checkpoints (resumed from when one is there), or null for none
     * @param cancelled polled between steps; a cancelled run keeps its last checkpoint and throws
     *                  {@link CancellationException}
     */
    public Result run(Path checkpoints, TrainingListener listener, BooleanSupplier cancelled) throws IOException {
        // PyTorch starts every thread in grad mode, and DJL's gradient collector restores that mode when it closes,
        // which makes the optimiser's in-place update of leaf parameters fail on any thread but main: start from off
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        Map<String, NDArray> params = trainable.parameters();
        params.values().forEach(p -> p.setRequiresGradient(true));
        NDManager root = model.weights().manager();
        try (NDManager optimiserManager = root.newSubManager();
             AdamW adam = new AdamW(config, params, optimiserManager)) {
            int start = 0;
            if (checkpoints != null) {
                TrainingCheckpoint saved = TrainingCheckpoint.read(checkpoints);
                if (saved != null) {
                    if (saved.seed() != config.seed()) {
                        throw new IllegalStateException("the checkpoint in " + checkpoints + " was trained with seed "
                                + saved.seed() + ", not " + config.seed());
                    }
                    restore(params, saved.trainable());
                    adam.restore(saved.optimizer(), saved.step());
                    start = saved.step();
                }
            }
            long began = System.nanoTime();
            long tokens = 0;
            double loss = Double.NaN;
            int badSteps = 0;
            Double validation = null;
            for (int step = start; step < config.steps(); step++) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("training cancelled after step " + step);
                }
                double lr = config.learningRateAt(step);
                double norm;
                try (NDManager scope = root.newSubManager()) {
                    loss = accumulate(scope, step);
                    norm = clip(scope, params);
                    if (!(Double.isFinite(loss) && Double.isFinite(norm))) {
                        // computed once more from the same inputs: a transient non-finite result (seen rarely on
                        // loaded machines) is not applied, and the step then equals an undisturbed one
                        log.warn("Step {}: loss {} or gradient norm {} is not finite; computing the step again",
                                step + 1, loss, norm);
                        zeroGradients(scope, params);
                        loss = accumulate(scope, step);
                        norm = clip(scope, params);
                    }
                    if (Double.isFinite(loss) && Double.isFinite(norm)) {
                        adam.step(scope, lr);
                        badSteps = 0;
                    } else if (++badSteps > MAX_NON_FINITE_STEPS) {
                        throw new TrainingDivergedException("training diverged: the loss or gradient was not finite "
                                + "for " + badSteps + " steps in a row (last at step " + (step + 1)
                                + "); lower the learning rate");
                    }
                    zeroGradients(scope, params);
                }
                tokens += config.tokensPerStep();
                double seconds = (System.nanoTime() - began) / 1e9;
                listener.onStep(new TrainingListener.StepReport(step + 1, config.steps(), loss, lr, norm, tokens,
                        tokens / Math.max(seconds, 1e-9)));
                boolean last = step + 1 == config.steps();
                if (last || (config.evalEvery() > 0 && (step + 1) % config.evalEvery() == 0)) {
                    TrainingListener.Evaluation e = evaluate(step + 1);
                    if (e != null) {
                        validation = e.loss();
                        listener.onEvaluation(e);
                    }
                }
                if (checkpoints != null
                        && (last || (config.checkpointEvery() > 0 && (step + 1) % config.checkpointEvery() == 0))) {
                    checkpointWriter.write(new TrainingCheckpoint(step + 1, config.seed(), host(params), adam.state()),
                            checkpoints);
                    listener.onCheckpoint(step + 1, checkpoints);
                }
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            return new Result(config.steps(), loss, validation, tokens, tokens / Math.max(seconds, 1e-9), start);
        } finally {
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
    }

    /** The summed gradients of one step's micro-batches (each loss scaled by 1/accumulation); the step's loss. */
    private double accumulate(NDManager scope, int step) {
        double loss = 0;
        try (Gradients gc = Gradients.collect()) {
            for (int micro = 0; micro < config.accumulation(); micro++) {
                long[][] batch = data.trainingBatch(config.seed(), step, micro, config.batchSize(),
                        config.contextLength());
                float[][] targets = data.trainingTargets(config.seed(), step, micro, config.batchSize(),
                        config.contextLength());
                try (NDManager microScope = scope.newSubManager()) {
                    // dropout draws from the engine's generator: seeded by (seed, step, micro) so a resumed run
                    // (or a step computed again) draws what an uninterrupted one does
                    Engine.getInstance().setRandomSeed(microSeed(config.seed(), step, micro));
                    trainable.training(true);
                    NDArray l;
                    try {
                        l = loss(microScope, batch, targets);
                    } finally {
                        trainable.training(false);
                    }
                    loss += l.getFloat() / config.accumulation();
                    // scaled by an array that lives until after backward, never by a Number (see EngineArrays.owned)
                    gc.backward(l.mul(EngineArrays.owned(microScope, new float[] {1f / config.accumulation()},
                            new ai.djl.ndarray.types.Shape())));
                }
            }
        }
        return loss;
    }

    private static void zeroGradients(NDManager scope, Map<String, NDArray> params) {
        for (NDArray p : params.values()) {
            // filled, not g - g: a NaN or infinite gradient minus itself stays NaN for every later step
            Scoped.grad(scope, p).set(EVERYTHING, 0f);
        }
    }

    private static int microSeed(long seed, int step, int micro) {
        long h = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + micro;
        return (int) (h ^ (h >>> 31)) & 0x7fffffff;
    }

    /** Mean loss over up to {@code evalBatches} batches of validation windows; null when there are none. */
    public TrainingListener.Evaluation evaluate(int step) {
        int windows = Math.min(data.validationWindows(config.contextLength()),
                config.evalBatches() * config.batchSize());
        if (windows == 0) {
            return null;
        }
        double sum = 0;
        for (int from = 0; from < windows; from += config.batchSize()) {
            int rows = Math.min(config.batchSize(), windows - from);
            try (NDManager scope = model.weights().manager().newSubManager()) {
                sum += loss(scope, data.validationBatch(from, rows, config.contextLength()),
                        data.validationTargets(from, rows, config.contextLength())).getFloat() * rows;
            }
        }
        return new TrainingListener.Evaluation(step, sum / windows, windows);
    }

    /**
     * Mean cross-entropy of predicting token t+1 from tokens 0..t, over every position of every window, or, with
     * {@code targets}, over the positions whose target counts (a batch with none counts zero).
     */
    private NDArray loss(NDManager scope, long[][] windows, float[][] targets) {
        int rows = windows.length;
        int width = windows[0].length - 1;
        long[][] inputs = new long[rows][];
        long[] next = new long[rows * width];
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            inputs[r] = java.util.Arrays.copyOf(windows[r], width);
            System.arraycopy(windows[r], 1, next, r * width, width);
            lengths[r] = width;
        }
        try (KvCache cache = new KvCache(scope, model.config().numLayers(), rows, width)) {
            NDArray logits = model.forward(scope, inputs, lengths, cache, trainable.delta(), true);
            NDArray logp = Scoped.of(scope, logits.logSoftmax(-1)).reshape(rows * width, model.config().vocabSize());
            NDArray picked = Scoped.of(scope, logp.gather(EngineArrays.owned(scope, next,
                    new ai.djl.ndarray.types.Shape(rows * width, 1)), 1));
            if (targets == null) {
                return Scoped.of(scope, Scoped.of(scope, picked.mean()).neg());
            }
            float[] weights = new float[rows * width];
            float counted = 0;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(targets[r], 0, weights, r * width, width);
                for (float w : targets[r]) {
                    counted += w;
                }
            }
            NDArray weighted = Scoped.of(scope, picked.reshape(rows * width).mul(EngineArrays.owned(scope, weights,
                    new ai.djl.ndarray.types.Shape(rows * width))));
            return Scoped.of(scope, Scoped.of(scope, weighted.sum()).mul(EngineArrays.owned(scope,
                    new float[] {-1f / Math.max(counted, 1f)}, new ai.djl.ndarray.types.Shape())));
        }
    }

    /** Scales gradients so their global L2 norm is at most clipNorm; returns the norm before clipping. */
    private double clip(NDManager scope, Map<String, NDArray> params) {
        NDArray total = null;
        for (NDArray p : params.values()) {
            NDArray sq = Scoped.of(scope, Scoped.of(scope, Scoped.grad(scope, p).square()).sum());
            total = total == null ? sq : Scoped.of(scope, total.add(sq));
        }
        double norm = Math.sqrt(total.getFloat());
        if (norm > config.clipNorm()) {
            float s = (float) (config.clipNorm() / norm);
            for (NDArray p : params.values()) {
                Scoped.grad(scope, p).muli(s);
            }
        }
        return norm;
    }

    private static Map<String, Tensor> host(Map<String, NDArray> params) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        params.forEach((n, a) -> out.put(n, new Tensor(a.getShape().getShape(), a.toFloatArray())));
        return out;
    }

    private static void restore(Map<String, NDArray> params, Map<String, Tensor> saved) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            Tensor t = saved.get(e.getKey());
            if (t == null || !java.util.Arrays.equals(t.shape(), e.getValue().getShape().getShape())) {
                throw new IllegalStateException("the checkpoint does not hold " + e.getKey() + " in the model's shape");
            }
            // written in place: a base weight may be a view of a stacked matrix (LlamaWeights), which set(float[])
            // would give storage of its own, apart from the stack that inference reads
            try (NDArray values = e.getValue().getManager().create(t.values(), e.getValue().getShape())) {
                e.getValue().set(EVERYTHING, values);
            }
        }
    }
}

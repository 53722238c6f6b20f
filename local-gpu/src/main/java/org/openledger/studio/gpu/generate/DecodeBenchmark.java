package org.openledger.studio.gpu.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.model.ModelConfig;

/**
 * Batch-1 decode as a client is served it: one greedy request through {@link Generator} (paged KV cache, logits
 * to the sampler, a token event per step), timed from one token event to the next. Decode reads every weight
 * once per step, so weight bytes / step time is held against a large array copy on the model's own device,
 * measured in the same run; what the step takes beyond streaming its weights at that rate is its overhead.
 */
public final class DecodeBenchmark {

    /** Elements of the copied array: 256 MiB of float32, far beyond any cache. */
    private static final int COPY_ELEMENTS = 64 << 20;
    private static final NDIndex EVERYTHING = new NDIndex("...");

    /** What one model's run gives. */
    public record Result(int steps, double medianStepMillis, double meanStepMillis, long weightBytes,
                         double engineCopyBytesPerSecond) {

        public double tokensPerSecond() {
            return 1000 / medianStepMillis;
        }

        /** Weight bytes read per second of decode, at the median step. */
        public double weightBytesPerSecond() {
            return weightBytes / (medianStepMillis / 1000);
        }

        /** The share of the copy bandwidth that decode reaches. */
        public double shareOfCopy() {
            return weightBytesPerSecond() / engineCopyBytesPerSecond;
        }

        /** The median step minus the time to read the weights once at the copy rate. */
        public double overheadMillis() {
            return medianStepMillis - weightBytes / engineCopyBytesPerSecond * 1000;
        }
    }

    private final BaseModel model;

    public DecodeBenchmark(BaseModel model) {
        this.model = model;
    }

    /**
     * @param promptTokens random prompt tokens fed before decoding
     * @param steps        decode steps timed (after an untimed warm-up request of as many steps)
     */
    public Result run(int promptTokens, int steps, long seed) throws InvalidRequestException {
        if (promptTokens < 1 || steps < 2) {
            throw new IllegalArgumentException("at least one prompt token and two decode steps are needed");
        }
        if (promptTokens + steps + 1 > model.context()) {
            throw new IllegalArgumentException("prompt + steps exceed the context of " + model.context());
        }
        Generator generator = new Generator(model);
        time(generator, promptTokens, steps, seed); // warm-up: the JIT, the allocator, kernel choice
        double[] millis = time(generator, promptTokens, steps, seed);
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double mean = Arrays.stream(millis).average().orElse(Double.NaN);
        ModelConfig c = model.config();
        return new Result(millis.length, median, mean, c.parameterCount() * 4, engineCopyBandwidth());
    }

    /** Milliseconds between consecutive token events: each is one decode step, sampling and delivery included. */
    private double[] time(Generator generator, int promptTokens, int steps, long seed) throws InvalidRequestException {
        Random rnd = new Random(seed);
        long[] prompt = new long[promptTokens];
        for (int i = 0; i < promptTokens; i++) {
            prompt[i] = rnd.nextInt(model.config().vocabSize());
        }
        List<Long> at = new ArrayList<>();
        generator.generate(GenerationRequest.builder(prompt).greedy().maxTokens(steps + 1)
                .stopAtEndOfSequence(false).build(), e -> at.add(System.nanoTime()));
        double[] out = new double[at.size() - 1];
        for (int i = 1; i < at.size(); i++) {
            out[i - 1] = (at.get(i) - at.get(i - 1)) / 1e6;
        }
        return out;
    }

    /**
     * Bytes per second of copying a 256 MiB array on the model's device with the engine (bytes read counted, as
     * decode only reads its weights; best of 5).
     */
    public double engineCopyBandwidth() {
        try (NDManager m = NDManager.newBaseManager(model.device().djl())) {
            NDArray source = m.ones(new Shape(COPY_ELEMENTS), DataType.FLOAT32);
            // into an array allocated and touched once, so that page faults of fresh memory are not timed
            NDArray target = m.zeros(new Shape(COPY_ELEMENTS), DataType.FLOAT32);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 6; i++) {
                long t0 = System.nanoTime();
                target.set(EVERYTHING, source);
                target.getFloat(COPY_ELEMENTS - 1); // waits for the copy on an asynchronous device
                long t = System.nanoTime() - t0;
                if (i > 0) {
                    best = Math.min(best, t);
                }
            }
            return COPY_ELEMENTS * 4.0 / (best / 1e9);
        }
    }

    /** The same with one Java thread ({@code System.arraycopy}), the baseline of {@code studio bench model}. */
    public static double javaCopyBandwidth() {
        float[] src = new float[COPY_ELEMENTS];
        float[] dst = new float[src.length];
        Arrays.fill(src, 1f);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            System.arraycopy(src, 0, dst, 0, src.length);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return src.length * 4.0 / (best / 1e9);
    }
}

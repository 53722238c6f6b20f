package org.openledger.studio.gpu.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 *
 * <p>Each is timed twice: by the wall clock, and by the CPU time of the generating thread. With one engine thread
 * on the CPU (-Dai.djl.pytorch.num_threads=1) every operation runs on that thread, so its CPU time leaves out the
 * waits for a core that a loaded shared machine adds to the wall clock; it is then the steadier figure to
 * compare two builds by.
 */
public final class DecodeBenchmark {

    /** Elements of the copied array: 256 MiB of float32, far beyond any cache. */
    private static final int COPY_ELEMENTS = 64 << 20;
    private static final NDIndex EVERYTHING = new NDIndex("...");

    /** What one model's run gives; the {@code cpu} figures by the generating thread's CPU time. */
    public record Result(int steps, double medianStepMillis, double meanStepMillis, long weightBytes,
                         double engineCopyBytesPerSecond, double medianStepCpuMillis,
                         double engineCopyCpuBytesPerSecond) {

        /** The share of the copy bandwidth by CPU time of both. */
        public double cpuShareOfCopy() {
            return weightBytes / (medianStepCpuMillis / 1000) / engineCopyCpuBytesPerSecond;
        }

        /** The median step's CPU time minus the CPU time to read the weights once at the copy rate. */
        public double cpuOverheadMillis() {
            return medianStepCpuMillis - weightBytes / engineCopyCpuBytesPerSecond * 1000;
        }

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
    private final int copyElements;

    public DecodeBenchmark(BaseModel model) {
        this(model, COPY_ELEMENTS);
    }

    /** @param copyElements float32 elements of the copied array (tests use a small one) */
    DecodeBenchmark(BaseModel model, int copyElements) {
        this.model = model;
        this.copyElements = copyElements;
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
        double[][] millis = time(generator, promptTokens, steps, seed);
        double mean = Arrays.stream(millis[0]).average().orElse(Double.NaN);
        ModelConfig c = model.config();
        double[] copy = engineCopyBandwidths();
        return new Result(millis[0].length, median(millis[0]), mean, c.parameterCount() * 4, copy[0],
                median(millis[1]), copy[1]);
    }

    private static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Milliseconds between consecutive token events, by the wall clock and by this thread's CPU time: each is one
     * decode step, sampling and delivery included. (The generator runs on the calling thread.)
     */
    private double[][] time(Generator generator, int promptTokens, int steps, long seed)
            throws InvalidRequestException {
        Random rnd = new Random(seed);
        long[] prompt = new long[promptTokens];
        for (int i = 0; i < promptTokens; i++) {
            prompt[i] = rnd.nextInt(model.config().vocabSize());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<long[]> at = new ArrayList<>();
        generator.generate(GenerationRequest.builder(prompt).greedy().maxTokens(steps + 1)
                .stopAtEndOfSequence(false).build(),
                e -> at.add(new long[] {System.nanoTime(), threads.getCurrentThreadCpuTime()}));
        double[][] out = new double[2][at.size() - 1];
        for (int i = 1; i < at.size(); i++) {
            out[0][i - 1] = (at.get(i)[0] - at.get(i - 1)[0]) / 1e6;
            out[1][i - 1] = (at.get(i)[1] - at.get(i - 1)[1]) / 1e6;
        }
        return out;
    }

    /**
     * Bytes per second of copying a 256 MiB array on the model's device with the engine (bytes read counted, as
     * decode only reads its weights; best of 5).
     */
    public double engineCopyBandwidth() {
        return engineCopyBandwidths()[0];
    }

    /** The copy's bytes/s by the wall clock and by this thread's CPU time, best of 5 each. */
    private double[] engineCopyBandwidths() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (NDManager m = NDManager.newBaseManager(model.device().djl())) {
            NDArray source = m.ones(new Shape(copyElements), DataType.FLOAT32);
            // into an array allocated and touched once, so that page faults of fresh memory are not timed
            NDArray target = m.zeros(new Shape(copyElements), DataType.FLOAT32);
            long best = Long.MAX_VALUE;
            long bestCpu = Long.MAX_VALUE;
            for (int i = 0; i < 6; i++) {
                long t0 = System.nanoTime();
                long c0 = threads.getCurrentThreadCpuTime();
                target.set(EVERYTHING, source);
                target.getFloat(copyElements - 1); // waits for the copy on an asynchronous device
                long t = System.nanoTime() - t0;
                long cpu = threads.getCurrentThreadCpuTime() - c0;
                if (i > 0) {
                    best = Math.min(best, t);
                    bestCpu = Math.min(bestCpu, Math.max(cpu, 1));
                }
            }
            return new double[] {copyElements * 4.0 / (best / 1e9), copyElements * 4.0 / (bestCpu / 1e9)};
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

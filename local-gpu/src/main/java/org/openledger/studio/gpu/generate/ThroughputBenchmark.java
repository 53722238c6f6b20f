package org.openledger.studio.gpu.generate;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.model.WeightDelta;

/**
 * Times prefill and decode of a model on random tokens: one padded prefill of {@code batch} prompts, then
 * {@code newTokens} single-token steps with the KV cache, reading logits back each step as generation does.
 * One untimed warm-up round runs first (allocator and kernel selection).
 */
public final class ThroughputBenchmark {

    private final BaseModel model;

    public ThroughputBenchmark(BaseModel model) {
        this.model = model;
    }

    public Throughput run(int batch, int promptTokens, int newTokens, long seed) {
        ModelConfig c = model.config();
        if (promptTokens + newTokens > model.context()) {
            throw new IllegalArgumentException("prompt + new tokens exceed the context of " + model.context());
        }
        once(batch, Math.min(promptTokens, 8), Math.min(newTokens, 2), seed);
        long[] times = once(batch, promptTokens, newTokens, seed);
        double prefill = (double) batch * promptTokens / (times[0] / 1e9);
        double stepsPerSecond = newTokens / (times[1] / 1e9);
        return new Throughput(batch, promptTokens, newTokens, prefill, stepsPerSecond * batch,
                stepsPerSecond * c.parameterCount() * 4);
    }

    /** Nanoseconds of prefill and of all decode steps. */
    private long[] once(int batch, int promptTokens, int newTokens, long seed) {
        Transformer t = model.transformer();
        ModelConfig c = t.config();
        Random rnd = new Random(seed);
        long[][] prompt = new long[batch][promptTokens];
        int[] lengths = new int[batch];
        for (int r = 0; r < batch; r++) {
            for (int k = 0; k < promptTokens; k++) {
                prompt[r][k] = rnd.nextInt(c.vocabSize());
            }
            lengths[r] = promptTokens;
        }
        int[] ones = new int[batch];
        java.util.Arrays.fill(ones, 1);
        try (NDManager run = t.weights().manager().newSubManager();
             KvCache cache = new KvCache(run, c.numLayers(), batch, promptTokens + newTokens)) {
            long start = System.nanoTime();
            try (NDManager scope = run.newSubManager()) {
                t.forward(scope, prompt, lengths, cache, WeightDelta.NONE, false).toFloatArray();
            }
            long prefill = System.nanoTime() - start;
            start = System.nanoTime();
            for (int s = 0; s < newTokens; s++) {
                long[][] next = new long[batch][1];
                for (int r = 0; r < batch; r++) {
                    next[r][0] = rnd.nextInt(c.vocabSize());
                }
                try (NDManager scope = run.newSubManager()) {
                    t.forward(scope, next, ones, cache, WeightDelta.NONE, false).toFloatArray();
                }
            }
            return new long[] {prefill, System.nanoTime() - start};
        }
    }
}

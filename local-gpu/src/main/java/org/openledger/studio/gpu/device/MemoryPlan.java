package org.openledger.studio.gpu.device;

import org.openledger.studio.gpu.model.ModelConfig;

/**
 * What a model needs on a device before any weight is read: float32 weights (every dtype is widened on
 * loading), a KV cache for {@code batch} rows of {@code context} tokens, and the activations of one prefill
 * step (attention scores and MLP hidden states dominate). A margin is kept free for the allocator and the
 * framework itself.
 */
public record MemoryPlan(long weightBytes, long kvCacheBytes, long activationBytes, int batch, int context) {

    /** Prompt tokens fed to the model per prefill step; bounds the attention scores of long prompts. */
    public static final int PREFILL_CHUNK = 512;

    /** Share of free memory a plan may use; the rest is allocator fragmentation and framework overhead. */
    public static final double USABLE_SHARE = 0.9;

    /**
     * @param batch   rows decoded together
     * @param context tokens per row (prompt + completion); activations are counted for one prefill chunk of
     *                every row against a full context, the largest step this runtime takes
     */
    public static MemoryPlan of(ModelConfig c, int batch, int context) {
        long weights = c.parameterCount() * 4;
        long kv = 2L * c.numLayers() * batch * context * c.numKvHeads() * c.headDim() * 4;
        long chunk = Math.min(context, PREFILL_CHUNK);
        long scores = (long) batch * c.numHeads() * chunk * context * 4 * 2;
        long mlp = (long) batch * chunk * c.intermediateSize() * 4 * 3;
        long logits = (long) batch * chunk * c.vocabSize() * 4;
        long hidden = (long) batch * chunk * c.hiddenSize() * 4 * 8;
        return new MemoryPlan(weights, kv, Math.max(scores, mlp) + logits + hidden, batch, context);
    }

    public long totalBytes() {
        return weightBytes + kvCacheBytes + activationBytes;
    }

    /** Refuses a device without room, saying what would fit instead. */
    public void check(ComputeDevice device) throws InsufficientMemoryException {
        long usable = (long) (device.freeBytes() * USABLE_SHARE);
        if (totalBytes() > usable) {
            String hint = weightBytes > usable
                    ? "the weights alone do not fit; choose a device with more memory or a smaller model"
                    : "use a smaller batch or context, or a device with more memory";
            throw new InsufficientMemoryException(this, String.format(
                    "the model needs %s on %s (weights %s + KV cache %s for %d x %d tokens + activations %s) but "
                            + "only %s of its %s free can be used; %s",
                    human(totalBytes()), device.id(), human(weightBytes), human(kvCacheBytes), batch, context,
                    human(activationBytes), human(usable), human(device.freeBytes()), hint));
        }
    }

    public static String human(long bytes) {
        if (bytes < 1 << 20) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format("%.1f MiB", bytes / (double) (1 << 20));
        }
        return String.format("%.2f GiB", bytes / (double) (1L << 30));
    }
}

package org.openledger.studio.gpu.lora;

import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;

/**
 * One adapter merged into a copy of the base model's targeted projections (W + s·B·A; the rest is shared with
 * the base), so that rows of exactly this upload of the adapter run as a plain model with no LoRA term. Rows are
 * matched by identity with {@link #source()}: a replaced adapter is a different upload and never matches.
 */
public final class MergedAdapter implements AutoCloseable {

    private final AdapterWeights source;
    private final LlamaWeights weights;
    private final Transformer transformer;
    private final long bytes;

    private MergedAdapter(AdapterWeights source, LlamaWeights weights, long bytes) {
        this.source = source;
        this.weights = weights;
        this.transformer = new Transformer(weights);
        this.bytes = bytes;
    }

    /** Merges {@code adapter} into a copy of {@code base}; the caller closes it. */
    public static MergedAdapter merge(AdapterWeights adapter, LlamaWeights base) {
        if (adapter.isClosed()) {
            throw new IllegalStateException("adapter '" + adapter.id() + "' was unloaded; it cannot be merged");
        }
        return new MergedAdapter(adapter, adapter.mergeInto(base), bytes(adapter, base.config()));
    }

    /** Device bytes of the copied projections (float32). */
    public static long bytes(AdapterWeights adapter, ModelConfig c) {
        long elements = 0;
        for (int l = 0; l < c.numLayers(); l++) {
            for (Projection p : Projection.values()) {
                if (adapter.pair(l, p) != null) {
                    long[] w = p.weightShape(c);
                    elements += w[0] * w[1];
                }
            }
        }
        return elements * Float.BYTES;
    }

    public AdapterWeights source() {
        return source;
    }

    public Transformer transformer() {
        return transformer;
    }

    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        weights.close();
    }
}

package org.openledger.studio.daemon.finetune;

import java.util.Set;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;

/**
 * How large a LoRA training run is: the trainable factors (r x (in + out) per targeted projection per layer) and
 * the memory it needs, estimated as the base weights in F32, four copies of the factors (values, gradients, the
 * two AdamW moments), and one batch's activations kept for the backward pass.
 */
record LoraShape(long parameters) {

    /** Floats kept per token and layer for backward: about a dozen hidden-sized tensors plus the MLP's three. */
    private static final int HIDDEN_TENSORS_PER_LAYER = 12;
    private static final int MLP_TENSORS_PER_LAYER = 3;

    static LoraShape of(ModelConfig c, int rank, Set<Projection> targets) {
        long per = 0;
        for (Projection p : targets) {
            long[] s = p.weightShape(c);
            per += (long) rank * (s[0] + s[1]);
        }
        return new LoraShape(per * c.numLayers());
    }

    long trainingBytes(ModelConfig c, int batch, int context) {
        long tokens = (long) batch * context;
        long weights = c.parameterCount() * Float.BYTES;
        long factors = 4L * parameters * Float.BYTES;
        long perLayer = (long) HIDDEN_TENSORS_PER_LAYER * c.hiddenSize()
                + (long) MLP_TENSORS_PER_LAYER * c.intermediateSize()
                + 2L * c.numHeads() * context;
        long activations = tokens * c.numLayers() * perLayer * Float.BYTES;
        long logits = 3L * tokens * c.vocabSize() * Float.BYTES;
        return weights + factors + activations + logits;
    }
}

package org.openledger.studio.gpu.model;

import ai.djl.ndarray.NDArray;

/**
 * Something added to the output of a projection without changing the base weights: the unmerged LoRA path,
 * which may differ from row to row of a batch.
 */
public interface WeightDelta {

    WeightDelta NONE = (layer, projection, x) -> null;

    /**
     * @param x the projection's input, [batch, tokens, in]
     * @return the term to add to the projection's output, [batch, tokens, out], or null for none
     */
    NDArray apply(int layer, Projection projection, NDArray x);
}

package org.openledger.studio.finetune;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.WeightDelta;

/**
 * What a training run changes: named arrays that receive gradients, and the term they add to the forward pass.
 * Full training changes the base weights themselves (no delta); LoRA training changes only adapter matrices that
 * enter through {@link #delta()}, leaving the base arrays untouched.
 */
public interface Trainable {

    /** The arrays the optimiser updates, by a stable name (checkpoints and optimiser state use the names). */
    Map<String, NDArray> parameters();

    /** Added to the projections during the forward pass; {@link WeightDelta#NONE} for full training. */
    WeightDelta delta();

    /**
     * Whether the next forward passes train (dropout applies) or evaluate (it does not). The trainer seeds the
     * engine's generator per (seed, step, micro-batch) before each training pass, so dropout masks repeat exactly
     * when a run is resumed.
     */
    default void training(boolean on) {
    }

    /** Every weight of the model, for pretraining and full fine-tuning. */
    static Trainable allWeights(LlamaWeights weights) {
        Map<String, NDArray> params = weights.parameters();
        return new Trainable() {
            @Override
            public Map<String, NDArray> parameters() {
                return params;
            }

            @Override
            public WeightDelta delta() {
                return WeightDelta.NONE;
            }
        };
    }
}

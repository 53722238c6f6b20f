package org.openledger.studio.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Arrays whose memory the engine owns, for values that must live as long as the engine reads them. */
public final class EngineArrays {

    private EngineArrays() {
    }

    /**
     * Host values as an array in the engine's own memory. {@code NDManager.create} wraps a Java direct buffer
     * that the engine does not own and that is freed once its array is closed and collected, even if the engine
     * still holds the values (autograd keeps operands for the backward pass). A copy made by the engine lives as
     * long as the engine needs it. (Differentiable code must likewise never pass a {@code Number} to an op: DJL
     * wraps it in such an array and closes it right after the op.)
     */
    public static NDArray owned(NDManager m, float[] values, Shape shape) {
        try (NDArray wrapped = m.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /** As {@link #owned(NDManager, float[], Shape)} for token ids and indices. */
    public static NDArray owned(NDManager m, long[] values, Shape shape) {
        try (NDArray wrapped = m.create(values, shape)) {
            return wrapped.duplicate();
        }
    }
}

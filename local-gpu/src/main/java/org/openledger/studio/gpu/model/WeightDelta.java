package org.openledger.studio.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;

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

    /**
     * The term to add to the stacked output of projections that all read {@code x} (q, k, v; gate, up), as one
     * array laid out as their outputs are stacked: [batch, tokens, Σ outs]. By default each projection's own
     * {@link #apply}, in order, with zeros for those it leaves alone; an implementation may compute the whole
     * group at once (fewer, larger operations).
     *
     * @param outs each projection's output size, in group order
     * @return the term, or null when no projection of the group has one
     */
    default NDArray applyGroup(int layer, List<Projection> group, long[] outs, NDArray x) {
        NDArray[] parts = new NDArray[group.size()];
        boolean any = false;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = apply(layer, group.get(i), x);
            any |= parts[i] != null;
        }
        if (!any) {
            return null;
        }
        if (parts.length == 1) {
            return parts[0];
        }
        Shape xs = x.getShape();
        NDList all = new NDList();
        for (int i = 0; i < parts.length; i++) {
            all.add(parts[i] != null ? parts[i]
                    : x.getManager().zeros(new Shape(xs.get(0), xs.get(1), outs[i]), x.getDataType()));
        }
        return NDArrays.concat(all, xs.dimension() - 1);
    }
}

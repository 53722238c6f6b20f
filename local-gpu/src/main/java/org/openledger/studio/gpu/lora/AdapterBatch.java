package org.openledger.studio.gpu.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.WeightDelta;

/**
 * Unmerged LoRA for a batch whose rows may each use a different adapter (or none): the factors of each row's
 * adapter are gathered into [rows, in, r] and [rows, r, out] stacks, zero-padded to the largest rank and zero
 * for rows without an adapter, and applied with two batched matmuls (Punica's BGMV, y[i] += x[i]·A[i]·B[i]).
 * Built once per batch and reused for every decoding step; zero padding adds exact zeros, so a row without an
 * adapter gets exactly the base model's output.
 */
public final class AdapterBatch implements WeightDelta, AutoCloseable {

    private record Stack(NDArray down, NDArray up) {
    }

    private final NDManager manager;
    private final Map<Long, Stack> stacks = new HashMap<>();
    private final AdapterWeights shared;

    /** @param rows one entry per batch row; null where a row uses the base model */
    public AdapterBatch(NDManager parent, ModelConfig config, List<AdapterWeights> rows) {
        this.manager = parent.newSubManager();
        AdapterWeights first = rows.get(0);
        boolean same = first != null && rows.stream().allMatch(a -> a == first);
        this.shared = same ? first : null;
        if (same || rows.stream().allMatch(a -> a == null)) {
            return;
        }
        for (int l = 0; l < config.numLayers(); l++) {
            for (Projection p : Projection.values()) {
                long rank = 0;
                for (AdapterWeights a : rows) {
                    AdapterWeights.Pair pair = a == null ? null : a.pair(l, p);
                    if (pair != null) {
                        rank = Math.max(rank, pair.down().getShape().get(1));
                    }
                }
                if (rank == 0) {
                    continue;
                }
                long[] w = p.weightShape(config);
                NDList downs = new NDList();
                NDList ups = new NDList();
                for (AdapterWeights a : rows) {
                    AdapterWeights.Pair pair = a == null ? null : a.pair(l, p);
                    downs.add(padded(pair == null ? null : pair.down(), w[1], rank, 1));
                    ups.add(padded(pair == null ? null : pair.up(), rank, w[0], 0));
                }
                NDArray down = NDArrays.stack(downs);
                NDArray up = NDArrays.stack(ups);
                down.attach(manager);
                up.attach(manager);
                stacks.put(key(l, p), new Stack(down, up));
            }
        }
    }

    /** The factor zero-padded along {@code axis} to {@code rank}, or zeros; created in this batch's manager. */
    private NDArray padded(NDArray factor, long rows, long cols, int axis) {
        if (factor == null) {
            return manager.zeros(new Shape(rows, cols));
        }
        long have = factor.getShape().get(axis);
        long want = axis == 1 ? cols : rows;
        if (have == want) {
            return factor;
        }
        Shape pad = axis == 1 ? new Shape(rows, want - have) : new Shape(want - have, cols);
        NDArray out = factor.concat(manager.zeros(pad), axis);
        out.attach(manager);
        return out;
    }

    private static long key(int layer, Projection p) {
        return (long) layer * Projection.values().length + p.ordinal();
    }

    @Override
    public NDArray apply(int layer, Projection projection, NDArray x) {
        if (shared != null) {
            AdapterWeights.Pair pair = shared.pair(layer, projection);
            return pair == null ? null : x.matMul(pair.down()).matMul(pair.up());
        }
        Stack s = stacks.get(key(layer, projection));
        return s == null ? null : x.matMul(s.down()).matMul(s.up());
    }

    @Override
    public void close() {
        manager.close();
    }
}

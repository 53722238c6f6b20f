package org.openledger.studio.attribution.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.openledger.studio.gpu.model.EngineArrays;

/**
 * A seeded random projection of gradients from P LoRA parameters down to k dimensions (Johnson-Lindenstrauss):
 * a dense P x k matrix of ±1/sqrt(k) entries, so that E[⟨Rx, Ry⟩] = ⟨x, y⟩ and the error of a dot product shrinks
 * as 1/sqrt(k). TRAK and TracIn's fast variant project this way. The matrix is drawn in Java from the seed, so an
 * index built on one machine and queried on another (or on a GPU) uses the same matrix bit for bit.
 *
 * <p>When k ≥ P the projection is the identity and scores are exact. The dense matrix costs 4·P·k bytes of
 * device memory (64 MiB for the bundled model's default rank-8 q/v adapter at k = 1024); adapters for which it
 * would exceed {@link #MAX_ENTRIES} are refused by name rather than projected slowly. (LoGra's factored
 * projection, which never forms the matrix, is what larger adapters need; it is not built.)
 */
public final class GradientProjection implements AutoCloseable {

    public static final long MAX_ENTRIES = 1L << 28;
    private static final int BLOCK_ROWS = 4096;

    private final int parameters;
    private final int dimensions;
    private final NDManager manager;
    private final NDArray matrix; // [P, k], null for the identity

    public GradientProjection(int parameters, int k, long seed, NDManager parent) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.parameters = parameters;
        this.manager = parent.newSubManager();
        if (k >= parameters) {
            this.dimensions = parameters;
            this.matrix = null;
            return;
        }
        if ((long) parameters * k > MAX_ENTRIES) {
            manager.close();
            throw new IllegalArgumentException("a dense projection of " + parameters + " LoRA parameters to k = " + k
                    + " needs " + ((long) parameters * k * 4 >> 20) + " MiB; lower k or the adapter's rank");
        }
        this.dimensions = k;
        NDList blocks = new NDList();
        float v = (float) (1 / Math.sqrt(k));
        for (int from = 0; from < parameters; from += BLOCK_ROWS) {
            int rows = Math.min(BLOCK_ROWS, parameters - from);
            blocks.add(EngineArrays.owned(manager, block(seed, from, rows, k, v), new Shape(rows, k)));
        }
        this.matrix = blocks.size() == 1 ? blocks.get(0) : NDArrays.concat(blocks, 0);
        if (blocks.size() > 1) {
            blocks.forEach(NDArray::close);
        }
    }

    /** Rows {@code from .. from + rows - 1} of the matrix: each row drawn from its own seeded stream. */
    static float[] block(long seed, int from, int rows, int k, float v) {
        float[] out = new float[rows * k];
        for (int r = 0; r < rows; r++) {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + from + r);
            long bits = 0;
            for (int j = 0; j < k; j++) {
                if ((j & 63) == 0) {
                    bits = rnd.nextLong();
                }
                out[r * k + j] = (bits & 1) == 0 ? v : -v;
                bits >>>= 1;
            }
        }
        return out;
    }

    /** The projected dimension: k, or P when the projection is the identity. */
    public int dimensions() {
        return dimensions;
    }

    public boolean identity() {
        return matrix == null;
    }

    /** [n, P] gradients to [n, k], in the gradients' manager. */
    public NDArray apply(NDArray gradients) {
        if (gradients.getShape().get(1) != parameters) {
            throw new IllegalArgumentException("gradients have " + gradients.getShape().get(1)
                    + " parameters, the projection " + parameters);
        }
        return matrix == null ? gradients : gradients.matMul(matrix);
    }

    @Override
    public void close() {
        manager.close();
    }
}

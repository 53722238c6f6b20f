package org.openledger.studio.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Keys and values of every token already seen, per layer, for a batch of rows: [batch, kvHeads, slots, headDim].
 * Rows of different lengths share slot numbers, so some slots of a row hold padding; {@link #isReal} marks the
 * slots that hold a real token, and each row counts its own positions for RoPE.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final int rows;
    private final int capacityHint;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int[] nextPosition;
    private boolean[][] real;
    private int slots;

    public KvCache(NDManager parent, int layers, int rows) {
        this(parent, layers, rows, 0);
    }

    /** @param capacityHint slots to allocate at once, e.g. the longest prompt plus max_tokens */
    public KvCache(NDManager parent, int layers, int rows, int capacityHint) {
        this.manager = parent.newSubManager();
        this.capacityHint = capacityHint;
        this.rows = rows;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.nextPosition = new int[rows];
        this.real = new boolean[rows][16];
    }

    public int rows() {
        return rows;
    }

    /** Slots used so far, padding included. */
    public int slots() {
        return slots;
    }

    /** Real tokens seen by a row, i.e. the position its next token will get. */
    public int position(int row) {
        return nextPosition[row];
    }

    public boolean isReal(int row, int slot) {
        return real[row][slot];
    }

    /**
     * Writes a step's keys and values ([rows, kvHeads, width, headDim]) after the slots already used, growing the
     * buffers by doubling when full, and returns views of every slot so far, owned by {@code scope}. Buffers
     * written in place avoid re-copying the whole cache at every decoding step.
     */
    NDArray[] append(NDManager scope, int layer, NDArray k, NDArray v) {
        long width = k.getShape().get(2);
        long end = slots + width;
        keys[layer] = ensureCapacity(keys[layer], k, end);
        values[layer] = ensureCapacity(values[layer], v, end);
        keys[layer].set(new NDIndex(":, :, {}:{}", slots, end), k);
        values[layer].set(new NDIndex(":, :, {}:{}", slots, end), v);
        NDArray kView = keys[layer].get(new NDIndex(":, :, :{}", end));
        NDArray vView = values[layer].get(new NDIndex(":, :, :{}", end));
        kView.attach(scope);
        vView.attach(scope);
        return new NDArray[] {kView, vView};
    }

    private NDArray ensureCapacity(NDArray buffer, NDArray like, long needed) {
        long capacity = buffer == null ? 0 : buffer.getShape().get(2);
        if (needed <= capacity) {
            return buffer;
        }
        long grown = Math.max(needed, Math.max(capacityHint, capacity * 2));
        Shape s = like.getShape();
        NDArray bigger = manager.zeros(new Shape(s.get(0), s.get(1), grown, s.get(3)), like.getDataType());
        if (buffer != null) {
            NDArray used = buffer.get(new NDIndex(":, :, :{}", slots));
            bigger.set(new NDIndex(":, :, :{}", slots), used);
            used.close();
            buffer.close();
        }
        return bigger;
    }

    /** Records that a step of {@code width} slots was taken in which row r had {@code lengths[r]} real tokens. */
    void advance(int width, int[] lengths) {
        if (slots + width > real[0].length) {
            int cap = Math.max(real[0].length * 2, slots + width);
            for (int r = 0; r < rows; r++) {
                real[r] = Arrays.copyOf(real[r], cap);
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < lengths[r]; t++) {
                real[r][slots + t] = true;
            }
            nextPosition[r] += lengths[r];
        }
        slots += width;
    }

    @Override
    public void close() {
        manager.close();
    }
}

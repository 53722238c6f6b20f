package org.openledger.studio.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Keys and values of every token already seen, per layer, for a batch of rows: [batch, kvHeads, slots, headDim].
 * Rows of different lengths share slot numbers, so some slots of a row hold padding; {@link #isReal} marks the
 * slots that hold a real token, and each row counts its own positions for RoPE.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final int rows;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int[] nextPosition;
    private boolean[][] real;
    private int slots;

    public KvCache(NDManager parent, int layers, int rows) {
        this.manager = parent.newSubManager();
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

    NDArray keys(int layer) {
        return keys[layer];
    }

    NDArray values(int layer) {
        return values[layer];
    }

    /** Keeps the full keys and values of a layer (past and new) and frees the previous ones. */
    void store(int layer, NDArray k, NDArray v) {
        NDArray oldK = keys[layer];
        NDArray oldV = values[layer];
        k.attach(manager);
        v.attach(manager);
        keys[layer] = k;
        values[layer] = v;
        if (oldK != null && oldK != k) {
            oldK.close();
        }
        if (oldV != null && oldV != v) {
            oldV.close();
        }
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

package org.openledger.studio.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The serving KV cache: one pool per layer of {@code capacity} token slots ([slots, kvHeads, headDim]), handed
 * out in blocks of {@value #BLOCK} slots (vLLM's paged attention, in its simplest form). A row reserves, when it
 * joins, the blocks of its whole need (prompt + max_tokens) and gives them back when it leaves, so the cache
 * never grows, never copies, and what is in use follows the live rows. A row's token {@code i} lives in slot
 * {@code block[i / BLOCK] * BLOCK + i % BLOCK}; its position for RoPE is {@code i}, so rows that joined at
 * different steps never share a slot axis and carry no padding between them.
 *
 * <p>Not thread-safe: one scheduler thread reserves, steps and releases.
 */
public final class PagedKvCache implements AutoCloseable {

    public static final int BLOCK = 16;

    /** A live row's place in the cache. */
    public final class Row {
        private final int[] blocks;
        private int length;
        private boolean released;

        private Row(int[] blocks) {
            this.blocks = blocks;
        }

        /** Tokens written so far, i.e. the position the next one gets. */
        public int length() {
            return length;
        }

        /** Tokens this row may hold. */
        public int capacity() {
            return blocks.length * BLOCK;
        }

        long slot(int position) {
            return (long) blocks[position / BLOCK] * BLOCK + position % BLOCK;
        }

        void advance(int tokens) {
            if (length + tokens > capacity()) {
                throw new IllegalStateException("row holds " + capacity() + " tokens, asked for " + (length + tokens));
            }
            length += tokens;
        }
    }

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final Deque<Integer> free = new ArrayDeque<>();
    private final int blocks;

    /** @param capacity token slots over all rows; rounded up to whole blocks */
    public PagedKvCache(NDManager parent, ModelConfig c, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 token");
        }
        this.manager = parent.newSubManager();
        this.blocks = (capacity + BLOCK - 1) / BLOCK;
        this.keys = new NDArray[c.numLayers()];
        this.values = new NDArray[c.numLayers()];
        Shape shape = new Shape((long) blocks * BLOCK, c.numKvHeads(), c.headDim());
        for (int l = 0; l < c.numLayers(); l++) {
            keys[l] = manager.zeros(shape, DataType.FLOAT32);
            values[l] = manager.zeros(shape, DataType.FLOAT32);
        }
        for (int b = 0; b < blocks; b++) {
            free.add(b);
        }
    }

    /** Bytes a pool of {@code capacity} tokens takes: keys and values of every layer in float32. */
    public static long bytes(ModelConfig c, long capacity) {
        return 2L * c.numLayers() * capacity * c.numKvHeads() * c.headDim() * 4;
    }

    /** Token slots free to reserve. */
    public int freeTokens() {
        return free.size() * BLOCK;
    }

    public int capacity() {
        return blocks * BLOCK;
    }

    /** The blocks for {@code tokens} tokens, or null when too few are free (the row must wait). */
    public Row reserve(int tokens) {
        int need = Math.max(1, (tokens + BLOCK - 1) / BLOCK);
        if (need > free.size()) {
            return null;
        }
        int[] taken = new int[need];
        for (int i = 0; i < need; i++) {
            taken[i] = free.poll();
        }
        return new Row(taken);
    }

    /** Gives a row's blocks back; a second release of the same row does nothing. */
    public void release(Row row) {
        if (row == null || row.released) {
            return;
        }
        row.released = true;
        for (int b : row.blocks) {
            free.add(b);
        }
    }

    /** Writes a step's new keys and values, [tokens, kvHeads, headDim], into {@code slots}. */
    void write(int layer, NDArray slots, NDArray k, NDArray v) {
        keys[layer].set(new NDIndex("{}", slots), k);
        values[layer].set(new NDIndex("{}", slots), v);
    }

    /** Keys and values at {@code slots} ([rows, length]): two [rows, length, kvHeads, headDim] copies. */
    NDArray[] read(NDManager scope, int layer, NDArray slots) {
        NDArray k = keys[layer].get(new NDIndex("{}", slots));
        NDArray v = values[layer].get(new NDIndex("{}", slots));
        k.attach(scope);
        v.attach(scope);
        return new NDArray[] {k, v};
    }

    @Override
    public void close() {
        manager.close();
    }
}

package org.openledger.studio.gpu.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One row's logits after a step, as much of them as its sampling needs: every logit, or only its {@code m} most
 * likely tokens (ids, logits and log-probabilities, most likely first) when the choice and the reported
 * log-probabilities need no more: greedy decoding, top-k sampling, and up to 20 alternatives. A step whose rows
 * all need only their most likely tokens picks them on the engine and reads back a few numbers a row, not the
 * vocabulary, nor computes a softmax over it on the host.
 */
final class RowLogits {

    /** Vocabulary size from which rows are picked on the engine on a CPU too (always on a GPU). */
    static final int PICK_ON_CPU_FROM = 8192;

    /** Every logit, or null when only the most likely tokens were read. */
    private final float[] all;
    private final int[] ids;
    private final float[] logits;
    private final float[] logprobs;

    private RowLogits(float[] all, int[] ids, float[] logits, float[] logprobs) {
        this.all = all;
        this.ids = ids;
        this.logits = logits;
        this.logprobs = logprobs;
    }

    static RowLogits of(float[] all) {
        return new RowLogits(all, null, null, null);
    }

    /**
     * The rows of {@code out} ([rows, vocab], on the engine) as the rows' needs ask: {@code need[i]} most likely
     * tokens of row i, or 0 for every logit. When any row needs every logit all are read (one copy); otherwise
     * each row's max(need) most likely tokens.
     */
    static RowLogits[] read(NDArray out, int[] need) {
        int vocab = Math.toIntExact(out.getShape().get(1));
        // on the CPU the whole read is a memory copy, and below ~8k tokens the host softmax costs less than the
        // three engine calls and three reads of the pick (measured: docs/BENCHMARKS.md, studio bench decode)
        return read(out, need, out.getDevice().isGpu() || vocab >= PICK_ON_CPU_FROM);
    }

    /** As {@link #read(NDArray, int[])}; {@code pickOnEngine} false reads every logit whatever the needs. */
    static RowLogits[] read(NDArray out, int[] need, boolean pickOnEngine) {
        int rows = need.length;
        int vocab = Math.toIntExact(out.getShape().get(1));
        RowLogits[] result = new RowLogits[rows];
        int m = 0;
        for (int n : need) {
            m = n == 0 ? Integer.MAX_VALUE : Math.max(m, n);
        }
        if (m == Integer.MAX_VALUE || m >= vocab || !pickOnEngine) {
            float[] flat = out.toFloatArray();
            for (int r = 0; r < rows; r++) {
                result[r] = of(java.util.Arrays.copyOfRange(flat, r * vocab, (r + 1) * vocab));
            }
            return result;
        }
        NDArray logp = out.logSoftmax(1);
        NDList top = logp.topK(m, 1, true, true);
        long[] ids = top.get(1).toLongArray();
        float[] lp = top.get(0).toFloatArray();
        float[] raw = out.gather(top.get(1), 1).toFloatArray();
        for (int r = 0; r < rows; r++) {
            int[] rowIds = new int[m];
            for (int i = 0; i < m; i++) {
                rowIds[i] = (int) ids[r * m + i];
            }
            result[r] = new RowLogits(null, rowIds, java.util.Arrays.copyOfRange(raw, r * m, (r + 1) * m),
                    java.util.Arrays.copyOfRange(lp, r * m, (r + 1) * m));
        }
        return result;
    }

    /**
     * How many of the most likely tokens a row needs, or 0 for every logit: the choice reads every logit when
     * it samples from more than the top k or when penalties or biases may lift any token.
     */
    static int need(GenerationRequest r, int vocab) {
        if (r.presencePenalty() != 0 || r.frequencyPenalty() != 0 || !r.logitBias().isEmpty()) {
            return 0;
        }
        int choice = r.temperature() == 0 ? 1 : r.topK() > 0 && r.topK() < vocab ? r.topK() : 0;
        return choice == 0 ? 0 : Math.max(choice, r.logprobs());
    }

    /** Every logit; only for a row read whole. */
    float[] all() {
        if (all == null) {
            throw new IllegalStateException("only the " + ids.length + " most likely tokens were read");
        }
        return all;
    }

    boolean whole() {
        return all != null;
    }

    /** The most likely tokens read, most likely first. */
    int[] ids() {
        return ids;
    }

    /** Their logits. */
    float[] logits() {
        return logits;
    }

    /** The log-probability of {@code id}, which must be among those read. */
    float logprob(int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return logprobs[i];
            }
        }
        throw new IllegalArgumentException("token " + id + " is not among the " + ids.length + " read");
    }

    /** The k most likely tokens with their log-probabilities, most likely first. */
    List<TokenLogprob> top(int k, LongFunction<String> text) {
        List<TokenLogprob> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, ids.length); i++) {
            out.add(new TokenLogprob(ids[i], text.apply(ids[i]), logprobs[i]));
        }
        return out;
    }
}

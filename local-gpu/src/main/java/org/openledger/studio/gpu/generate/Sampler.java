package org.openledger.studio.gpu.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * Picks the next token of one row from its logits: greedy at temperature 0, otherwise a draw from the softmax of
 * logits/temperature restricted to the top-k tokens and then to the smallest set whose probability reaches top-p
 * (Holtzman et al. 2020). Each row has its own seeded generator, so a seed gives the same text batched or alone.
 */
final class Sampler {

    private final double temperature;
    private final int topK;
    private final double topP;
    private final SplittableRandom random;

    Sampler(GenerationRequest r) {
        this.temperature = r.temperature();
        this.topK = r.topK();
        this.topP = r.topP();
        this.random = new SplittableRandom(r.seed() != null ? r.seed() : new SplittableRandom().nextLong());
    }

    int choose(float[] logits) {
        if (temperature == 0) {
            return argmax(logits);
        }
        int[] order = candidates(logits);
        float[] ordered = new float[order.length];
        for (int i = 0; i < order.length; i++) {
            ordered[i] = logits[order[i]];
        }
        return order[draw(ordered)];
    }

    /**
     * The same choice from a row's most likely tokens alone, as read when {@link RowLogits#need} said they are
     * enough: the first for greedy decoding, a draw among the first k for top-k sampling.
     */
    int choose(RowLogits row) {
        if (row.whole()) {
            return choose(row.all());
        }
        if (temperature == 0) {
            return row.ids()[0];
        }
        if (topK <= 0 || topK > row.ids().length) {
            throw new IllegalStateException("top-" + topK + " sampling needs more than the " + row.ids().length
                    + " tokens read");
        }
        return row.ids()[draw(java.util.Arrays.copyOf(row.logits(), topK))];
    }

    /**
     * A draw from the softmax of {@code ordered}/temperature, cut to the smallest prefix whose probability reaches
     * top-p; the values are the candidates' logits, the first of them the largest. Returns a position.
     */
    private int draw(float[] ordered) {
        int keep = ordered.length;
        double max = ordered[0] / temperature;
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(ordered[i] / temperature - max);
            sum += p[i];
        }
        if (topP < 1.0) {
            double cumulative = 0;
            for (int i = 0; i < keep; i++) {
                cumulative += p[i] / sum;
                if (cumulative >= topP) {
                    keep = i + 1;
                    break;
                }
            }
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return keep - 1;
    }

    /**
     * The tokens that may be drawn, most likely first where order matters: the top k (a partial selection), all
     * tokens sorted when top-p needs an order, or all tokens as they are (max first) for plain sampling. Sorting
     * uses primitive keys, since vocabularies reach 150k tokens and this runs for every token of every row.
     */
    private int[] candidates(float[] logits) {
        int n = logits.length;
        if (topK > 0 && topK < n) {
            return topIndices(logits, topK);
        }
        if (topP < 1.0) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = ((long) sortable(logits[i]) << 32) | i;
            }
            Arrays.sort(keys);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = (int) keys[n - 1 - i];
            }
            return order;
        }
        int[] order = new int[n];
        int best = argmax(logits);
        order[0] = best;
        for (int i = 0, k = 1; i < n; i++) {
            if (i != best) {
                order[k++] = i;
            }
        }
        return order;
    }

    /** An int that orders like the float (negative numbers included). */
    private static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** Indices of the k largest values, largest first, via a bounded min-heap of primitive keys. */
    static int[] topIndices(float[] values, int k) {
        java.util.PriorityQueue<Long> heap = new java.util.PriorityQueue<>(k + 1);
        for (int i = 0; i < values.length; i++) {
            // ties: the lower index wins, as a stable sort would keep it first
            long key = ((long) sortable(values[i]) << 32) | (0xffffffffL - i);
            if (heap.size() < k) {
                heap.add(key);
            } else if (key > heap.peek()) {
                heap.poll();
                heap.add(key);
            }
        }
        int[] out = new int[heap.size()];
        for (int j = out.length - 1; j >= 0; j--) {
            out[j] = (int) (0xffffffffL - (heap.poll() & 0xffffffffL));
        }
        return out;
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Natural-log softmax, computed in double. */
    static float[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (logits[i] - log);
        }
        return out;
    }

    /** The k most likely tokens, most likely first. */
    static List<TokenLogprob> top(float[] logprobs, int k, LongFunction<String> text) {
        List<TokenLogprob> out = new ArrayList<>();
        if (k <= 0) {
            return out;
        }
        for (int i : topIndices(logprobs, Math.min(k, logprobs.length))) {
            out.add(new TokenLogprob(i, text.apply(i), logprobs[i]));
        }
        return out;
    }
}

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
        int n = logits.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = topK > 0 ? Math.min(topK, n) : n;
        double max = logits[order[0]] / temperature;
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(logits[order[i]] / temperature - max);
            sum += p[i];
        }
        if (topP < 1.0) {
            double cumulative = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                cumulative += p[i] / sum;
                if (cumulative >= topP) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[keep - 1];
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
        boolean[] taken = new boolean[logprobs.length];
        for (int j = 0; j < Math.min(k, logprobs.length); j++) {
            int best = -1;
            for (int i = 0; i < logprobs.length; i++) {
                if (!taken[i] && (best < 0 || logprobs[i] > logprobs[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out.add(new TokenLogprob(best, text.apply(best), logprobs[best]));
        }
        return out;
    }
}

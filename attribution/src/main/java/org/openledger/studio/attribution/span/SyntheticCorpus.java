package org.openledger.studio.attribution.span;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded generator of token text shaped like a tokenized corpus, for benchmarks: token ids drawn from a Zipf
 * distribution (rank r has weight {@code 1 / r^1.07}, close to natural-language word frequencies), with phrases
 * from a fixed pool pasted in now and then (popular phrases often, most rarely), so a corpus repeats itself the
 * way real ones do (boilerplate, quotes, common sentences) and answers share spans of all lengths with it.
 */
public final class SyntheticCorpus {

    private static final double ZIPF_EXPONENT = 1.07;
    private static final int PHRASES = 20_000;
    private static final double PHRASE_RATE = 0.01;

    private final int vocab;
    private final double[] tokenCdf;
    private final double[] phraseCdf;
    private final int[][] phrases;

    public SyntheticCorpus(int vocab, long seed) {
        if (vocab < 2) {
            throw new IllegalArgumentException("vocab must be at least 2, was " + vocab);
        }
        this.vocab = vocab;
        this.tokenCdf = zipfCdf(vocab);
        this.phraseCdf = zipfCdf(PHRASES);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.phrases = new int[PHRASES][];
        for (int p = 0; p < PHRASES; p++) {
            phrases[p] = new int[8 + random.nextInt(33)];
            for (int i = 0; i < phrases[p].length; i++) {
                phrases[p][i] = token(random);
            }
        }
    }

    public int vocab() {
        return vocab;
    }

    /** Rows of 100 to 1,000 tokens, {@code tokens} in all (the last row cut short), ids counting from 0. */
    public List<SpanRow> rows(long tokens, SplittableRandom random) {
        List<SpanRow> rows = new ArrayList<>();
        for (long made = 0; made < tokens; ) {
            int length = (int) Math.min(tokens - made, 100 + random.nextInt(901));
            rows.add(new SpanRow(rows.size(), text(length, random)));
            made += length;
        }
        return rows;
    }

    /** {@code length} tokens of running text with phrases pasted in. */
    public int[] text(int length, SplittableRandom random) {
        int[] text = new int[length];
        for (int i = 0; i < length; ) {
            if (random.nextDouble() < PHRASE_RATE) {
                int[] phrase = phrases[sample(phraseCdf, random)];
                int n = Math.min(phrase.length, length - i);
                System.arraycopy(phrase, 0, text, i, n);
                i += n;
            } else {
                text[i++] = token(random);
            }
        }
        return text;
    }

    private int token(SplittableRandom random) {
        return sample(tokenCdf, random);
    }

    private static int sample(double[] cdf, SplittableRandom random) {
        int at = Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(cdf.length - 1, at >= 0 ? at : -at - 1);
    }

    private static double[] zipfCdf(int size) {
        double[] cdf = new double[size];
        double sum = 0;
        for (int r = 0; r < size; r++) {
            sum += 1.0 / Math.pow(r + 1, ZIPF_EXPONENT);
            cdf[r] = sum;
        }
        for (int r = 0; r < size; r++) {
            cdf[r] /= sum;
        }
        return cdf;
    }
}

package org.openledger.studio.finetune;

import java.util.SplittableRandom;

/**
 * Packed training data: documents tokenised and concatenated (separated by an end-of-text token) into one
 * stream, cut into windows of {@code context + 1} tokens (inputs and their next tokens). Training windows start
 * at random offsets drawn from a generator seeded by (seed, step, micro-batch), so a run resumed at step N sees
 * exactly the windows an uninterrupted run would; validation windows are fixed and do not overlap.
 */
public final class TokenWindows {

    private final int[] train;
    private final int[] validation;

    public TokenWindows(int[] train, int[] validation) {
        this.train = train;
        this.validation = validation;
    }

    public int trainTokens() {
        return train.length;
    }

    public int validationTokens() {
        return validation.length;
    }

    /** {@code rows} windows of {@code context + 1} tokens for one micro-batch of one step. */
    public long[][] trainingBatch(long seed, int step, int micro, int rows, int context) {
        if (train.length < context + 1) {
            throw new IllegalArgumentException("the training data holds " + train.length + " tokens, fewer than"
                    + " one window of " + (context + 1));
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 1_000_003L + micro);
        long[][] out = new long[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = window(train, rnd.nextInt(train.length - context), context);
        }
        return out;
    }

    /** How many non-overlapping validation windows there are. */
    public int validationWindows(int context) {
        return validation.length / (context + 1);
    }

    /** Validation windows {@code from} .. {@code from + rows - 1}. */
    public long[][] validationBatch(int from, int rows, int context) {
        long[][] out = new long[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = window(validation, (from + r) * (context + 1), context);
        }
        return out;
    }

    private static long[] window(int[] tokens, int start, int context) {
        long[] w = new long[context + 1];
        for (int i = 0; i <= context; i++) {
            w[i] = tokens[start + i];
        }
        return w;
    }
}

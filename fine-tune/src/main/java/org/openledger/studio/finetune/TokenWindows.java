package org.openledger.studio.finetune;

import java.util.SplittableRandom;

/**
 * Packed training data: documents tokenised and concatenated (separated by an end-of-text token) into one
 * stream, cut into windows of {@code context + 1} tokens (inputs and their next tokens). Training windows start
 * at random offsets drawn from a generator seeded by (seed, step, micro-batch), so a run resumed at step N sees
 * exactly the windows an uninterrupted run would; validation windows are fixed and do not overlap.
 *
 * <p>Optional loss masks say which tokens count as targets: for instruction data only the response's tokens do,
 * so the model learns to answer rather than to write prompts. Without masks every token counts.
 */
public final class TokenWindows {

    private final int[] train;
    private final int[] validation;
    private final boolean[] trainTargets;
    private final boolean[] validationTargets;

    public TokenWindows(int[] train, int[] validation) {
        this(train, null, validation, null);
    }

    /** @param trainTargets per token whether predicting it counts in the loss (null: all do); likewise validation */
    public TokenWindows(int[] train, boolean[] trainTargets, int[] validation, boolean[] validationTargets) {
        if (trainTargets != null && trainTargets.length != train.length
                || validationTargets != null && validationTargets.length != validation.length) {
            throw new IllegalArgumentException("a loss mask must have one entry per token");
        }
        this.train = train;
        this.validation = validation;
        this.trainTargets = trainTargets;
        this.validationTargets = validationTargets;
    }

    /** Whether some tokens are left out of the loss. */
    public boolean masked() {
        return trainTargets != null || validationTargets != null;
    }

    public int trainTokens() {
        return train.length;
    }

    public int validationTokens() {
        return validation.length;
    }

    /** {@code rows} windows of {@code context + 1} tokens for one micro-batch of one step. */
    public long[][] trainingBatch(long seed, int step, int micro, int rows, int context) {
        int[] starts = trainingStarts(seed, step, micro, rows, context);
        long[][] out = new long[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = window(train, starts[r], context);
        }
        return out;
    }

    /**
     * For the windows of {@link #trainingBatch} with the same arguments, 1 where the next-token target at each of
     * the {@code context} positions counts in the loss and 0 where not; null when every target counts.
     */
    public float[][] trainingTargets(long seed, int step, int micro, int rows, int context) {
        if (trainTargets == null) {
            return null;
        }
        int[] starts = trainingStarts(seed, step, micro, rows, context);
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = targets(trainTargets, starts[r], context);
        }
        return out;
    }

    private int[] trainingStarts(long seed, int step, int micro, int rows, int context) {
        if (train.length < context + 1) {
            throw new IllegalArgumentException("the training data holds " + train.length + " tokens, fewer than"
                    + " one window of " + (context + 1));
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 1_000_003L + micro);
        int[] starts = new int[rows];
        for (int r = 0; r < rows; r++) {
            starts[r] = rnd.nextInt(train.length - context);
        }
        return starts;
    }

    /** Loss targets of validation windows {@code from} .. {@code from + rows - 1}; null when every target counts. */
    public float[][] validationTargets(int from, int rows, int context) {
        if (validationTargets == null) {
            return null;
        }
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = targets(validationTargets, (from + r) * (context + 1), context);
        }
        return out;
    }

    /** The targets of a window are its tokens 1..context. */
    private static float[] targets(boolean[] mask, int start, int context) {
        float[] out = new float[context];
        for (int i = 0; i < context; i++) {
            out[i] = mask[start + 1 + i] ? 1f : 0f;
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

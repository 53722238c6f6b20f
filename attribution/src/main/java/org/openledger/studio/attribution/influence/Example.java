package org.openledger.studio.attribution.influence;

import java.util.Arrays;

/**
 * One sequence whose loss gradient is taken: its token ids, and for each token whether predicting it counts in the
 * loss. A training row counts what its fine-tune job learned (every token of a text, the response of an instruction
 * pair); an answer being attributed counts its completion only. The first token is never a target (nothing precedes
 * it).
 */
public record Example(long[] tokens, boolean[] targets) {

    public Example {
        if (tokens.length != targets.length) {
            throw new IllegalArgumentException("an example needs one target flag per token: " + tokens.length
                    + " tokens, " + targets.length + " flags");
        }
    }

    /** Every token after the first is a target. */
    public static Example text(long[] tokens) {
        boolean[] t = new boolean[tokens.length];
        Arrays.fill(t, true);
        if (t.length > 0) {
            t[0] = false;
        }
        return new Example(tokens, t);
    }

    /** A prompt read as context and a completion whose tokens are the targets. */
    public static Example completion(long[] prompt, long[] completion) {
        long[] all = Arrays.copyOf(prompt, prompt.length + completion.length);
        System.arraycopy(completion, 0, all, prompt.length, completion.length);
        boolean[] t = new boolean[all.length];
        Arrays.fill(t, prompt.length, all.length, true);
        if (t.length > 0) {
            t[0] = false;
        }
        return new Example(all, t);
    }

    public int length() {
        return tokens.length;
    }

    /** How many tokens count in the loss. */
    public int targetCount() {
        int n = 0;
        for (int i = 1; i < targets.length; i++) {
            n += targets[i] ? 1 : 0;
        }
        return n;
    }
}

package org.openledger.studio.ui.playground;

import java.util.List;

/**
 * One generated token as the Playground shows it: its text, and how likely the model found it and its closest
 * alternatives (natural-log probabilities, as the node reports them).
 */
public record TokenPiece(String text, Float logprob, List<Alternative> alternatives) {

    public record Alternative(String text, float logprob) {
    }

    public TokenPiece {
        alternatives = List.copyOf(alternatives);
    }

    /** Probability in [0, 1], or NaN when the node reported none. */
    public double probability() {
        return logprob == null ? Double.NaN : Math.exp(logprob);
    }
}

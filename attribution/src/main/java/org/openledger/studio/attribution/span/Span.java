package org.openledger.studio.attribution.span;

import java.util.List;

/**
 * A stretch of a model's response that occurs word for word in the corpus: response tokens
 * {@code [start, end)}, how often it occurs in the corpus, its rarity (the sum of its tokens' unigram
 * negative log-probabilities in the corpus, in nats: the higher, the less likely the match is chance), and the
 * ids of some rows it occurs in.
 */
public record Span(int start, int end, long count, double rarity, List<Long> rows) {

    public Span {
        rows = List.copyOf(rows);
    }

    public int length() {
        return end - start;
    }
}

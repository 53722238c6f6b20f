package org.openledger.studio.api.attribution;

import java.util.List;

/**
 * Where one answer came from ({@code GET /v1/attribution/{id}}, {@code POST /v1/attribution}): the training rows
 * that shaped it by gradient influence, the spans of it found verbatim in the node's rows, and the shares per
 * contributor and per Datanet. {@code state} is {@code pending}, {@code done} or {@code failed} (then
 * {@code error} says why). {@code influence} is sorted by score, highest first; {@code start}/{@code end} of a span
 * are character offsets into {@code completion}.
 */
public record AttributionRecord(String id, String object, String state, Long createdAt, String model, String adapter,
                                String completion, List<Influence> influence, List<Span> spans,
                                List<ContributorShare> contributors, List<DatanetShare> datanets, Integer rowsScored,
                                Double positiveTotal, Double seconds, String error) {

    /** A training row's influence on the answer; {@code share} = score / sum of positive scores (0 when negative). */
    public record Influence(String source, String datanetId, String uploadId, Integer seq, String contributor,
                            String text, double score, double share) {
    }

    /** A part of the completion found verbatim in the corpus, with its corpus count and some rows holding it. */
    public record Span(int start, int end, String text, long count, List<SpanSource> sources) {
    }

    /** A row holding a span. */
    public record SpanSource(String source, String datanetId, String uploadId, Integer seq, String contributor,
                             String text) {
    }

    public record ContributorShare(String contributor, double share) {
    }

    public record DatanetShare(String datanetId, double share) {
    }
}

package org.openledger.studio.api.registry;

import java.util.List;

/** The node rows that match, per query row (MinHash estimates: the node has no text of the new rows). */
public record NearDuplicateAnswer(List<Match> matches) {
    public NearDuplicateAnswer {
        matches = matches == null ? List.of() : List.copyOf(matches);
    }

    /** A node row that matches query row {@code row}; {@code exact} when the row hashes are equal. */
    public record Match(long row, String nodeRowHash, double estimatedSimilarity, boolean exact) {
    }
}

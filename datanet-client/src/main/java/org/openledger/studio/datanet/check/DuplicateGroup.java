package org.openledger.studio.datanet.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * Rows that say the same thing. {@code rows} are rows of this upload; {@code workspaceRows} were already in the
 * workspace; {@code nodeRows} (row hashes) are on the node. {@code similarity} is the smallest exact Jaccard index
 * along the links that joined the group (1 for exact duplicates; for node matches, which cannot be verified here, the
 * MinHash estimate); {@code estimatedSimilarity} the same from the MinHash signatures.
 */
public record DuplicateGroup(
        @JsonProperty("kind") Kind kind,
        @JsonProperty("rows") List<Long> rows,
        @JsonProperty("workspace_rows") List<Long> workspaceRows,
        @JsonProperty("node_rows") List<String> nodeRows,
        @JsonProperty("similarity") double similarity,
        @JsonProperty("estimated_similarity") double estimatedSimilarity) {

    public enum Kind {
        EXACT, NEAR;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DuplicateGroup {
        rows = List.copyOf(rows);
        workspaceRows = List.copyOf(workspaceRows);
        nodeRows = List.copyOf(nodeRows);
    }
}

package org.openledger.studio.datanet.check;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The counts a user reads first. */
public record CheckSummary(
        @JsonProperty("rows") int rows,
        @JsonProperty("exact_groups") int exactGroups,
        @JsonProperty("near_groups") int nearGroups,
        @JsonProperty("redundant_rows") int redundantRows,
        @JsonProperty("blocked_rows") int blockedRows,
        @JsonProperty("quality_warnings") int qualityWarnings,
        @JsonProperty("threshold") double threshold) {
}

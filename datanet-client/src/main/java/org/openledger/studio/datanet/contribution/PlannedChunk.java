package org.openledger.studio.datanet.contribution;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One chunk of an upload: rows {@code firstRow .. firstRow + rowCount - 1} of the manifest, whose payload has
 * {@code bytes} bytes and keccak256 {@code hash}.
 */
public record PlannedChunk(
        @JsonProperty("index") int index,
        @JsonProperty("first_row") int firstRow,
        @JsonProperty("row_count") int rowCount,
        @JsonProperty("hash") String hash,
        @JsonProperty("bytes") long bytes) {
}

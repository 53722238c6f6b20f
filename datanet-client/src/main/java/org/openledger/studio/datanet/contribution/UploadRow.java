package org.openledger.studio.datanet.contribution;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A row as it travels to the node: its hash, where it came from, and its text. */
@JsonPropertyOrder({"hash", "source", "text"})
public record UploadRow(@JsonProperty("hash") String hash, @JsonProperty("source") String source,
                        @JsonProperty("text") String text) {
}

package org.openledger.studio.datanet.check;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A row of the upload as the report lists it. */
public record ReportRow(
        @JsonProperty("id") long id,
        @JsonProperty("source") String source,
        @JsonProperty("hash") String hash,
        @JsonProperty("blocked") boolean blocked) {
}

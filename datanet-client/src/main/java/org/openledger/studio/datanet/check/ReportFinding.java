package org.openledger.studio.datanet.check;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A finding tied to its row, as the report lists it. */
public record ReportFinding(
        @JsonProperty("row") long row,
        @JsonProperty("kind") FindingKind kind,
        @JsonProperty("category") FindingKind.Category category,
        @JsonProperty("blocking") boolean blocking,
        @JsonProperty("detail") String detail,
        @JsonProperty("start") int start,
        @JsonProperty("end") int end) {

    public static ReportFinding of(long row, Finding f) {
        return new ReportFinding(row, f.kind(), f.kind().category(), f.kind().blocking(), f.detail(), f.start(), f.end());
    }
}

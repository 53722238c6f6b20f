package org.openledger.studio.datanet.ingest;


import com.fasterxml.jackson.annotation.JsonProperty;

/** A line (or record) that could not be turned into a row; the rest of the file was still read. */
public record LineProblem(@JsonProperty("file") String file, @JsonProperty("line") long line,
                          @JsonProperty("reason") String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}

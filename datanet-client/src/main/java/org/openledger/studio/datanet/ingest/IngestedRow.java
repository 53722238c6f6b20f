package org.openledger.studio.datanet.ingest;

import java.util.Objects;

/** One row of a Datanet as read from a file: normalised text and where it came from. */
public record IngestedRow(String text, Provenance provenance) {
    public IngestedRow {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(provenance, "provenance");
    }
}

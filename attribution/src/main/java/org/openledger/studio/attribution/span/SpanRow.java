package org.openledger.studio.attribution.span;

/**
 * One row of a corpus as the span index sees it: the caller's id for the row (it maps the id back to a Datanet,
 * an upload and a sequence number, or to "line N" of a file) and the row's token ids.
 *
 * <p>A span found in the index never crosses from one row into the next. Empty rows are allowed.
 */
public record SpanRow(long rowId, int[] tokens) {

    public SpanRow {
        if (tokens == null) {
            throw new IllegalArgumentException("row " + rowId + " has no token array");
        }
    }
}

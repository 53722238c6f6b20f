package org.openledger.studio.datanet.workspace;

/**
 * A page of the curation table.
 *
 * @param status       only rows in this state, or null for all
 * @param batchId      only rows of this batch, or 0 for all
 * @param search       full-text search words (all must occur; prefix match with a trailing *), or null
 * @param onlyBlocking only rows with a blocking finding
 */
public record RowQuery(RowStatus status, long batchId, String search, boolean onlyBlocking, int offset, int limit) {

    public static RowQuery all() {
        return new RowQuery(null, 0, null, false, 0, 100);
    }

    public RowQuery withSearch(String s) {
        return new RowQuery(status, batchId, s, onlyBlocking, offset, limit);
    }

    public RowQuery withStatus(RowStatus s) {
        return new RowQuery(s, batchId, search, onlyBlocking, offset, limit);
    }

    public RowQuery withBatch(long b) {
        return new RowQuery(status, b, search, onlyBlocking, offset, limit);
    }

    public RowQuery blockingOnly() {
        return new RowQuery(status, batchId, search, true, offset, limit);
    }

    public RowQuery page(int newOffset, int newLimit) {
        return new RowQuery(status, batchId, search, onlyBlocking, newOffset, newLimit);
    }
}

package org.openledger.studio.datanet.contribution;

import java.util.List;

/** Rows with secrets or personal data are still in the contribution: reject or fix them first. */
public class ContributionBlockedException extends RuntimeException {

    private final List<Long> rowIds;

    public ContributionBlockedException(List<Long> rowIds, long total) {
        super(total + " row(s) contain secrets or personal data (rows " + rowIds + (total > rowIds.size() ? ", ..." : "")
                + "); reject them or remove what was found, then prepare the contribution again");
        this.rowIds = List.copyOf(rowIds);
    }

    /** The first blocking rows (up to 20). */
    public List<Long> rowIds() {
        return rowIds;
    }
}

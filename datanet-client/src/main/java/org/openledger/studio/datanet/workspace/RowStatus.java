package org.openledger.studio.datanet.workspace;

import java.util.Locale;

/** A row's curation state: new rows are pending; accepted and pending rows are uploaded, rejected ones never. */
public enum RowStatus {
    PENDING, ACCEPTED, REJECTED;

    String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RowStatus fromSql(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}

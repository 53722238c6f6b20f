package org.openledger.studio.api.attribution;

/** One stored attribution record by id: what the Playground's and Attribution's record followers read. */
public interface AttributionRecords {

    /** {@code GET /v1/attribution/{id}}: a stored record (pending, done or failed). */
    AttributionRecord attribution(String id);
}

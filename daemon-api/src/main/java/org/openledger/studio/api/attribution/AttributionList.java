package org.openledger.studio.api.attribution;

import java.util.List;

/** {@code GET /v1/attribution}: recent attribution records, newest first. */
public record AttributionList(String object, List<AttributionRecord> data) {
}

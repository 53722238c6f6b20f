package org.openledger.studio.api.attribution;

import java.util.List;

/** {@code GET /v1/attribution/indexes}. */
public record InfluenceIndexList(String object, List<InfluenceIndexInfo> data) {
}

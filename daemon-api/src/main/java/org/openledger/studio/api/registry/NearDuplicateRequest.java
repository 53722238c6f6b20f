package org.openledger.studio.api.registry;

import java.util.List;

/** {@code POST /v1/datanets/{id}/near-duplicates}: MinHash signatures to look up, and the threshold. */
public record NearDuplicateRequest(double threshold, List<Query> queries) {

    /** One row to look up: the caller's row id, its hash and its MinHash signature. */
    public record Query(long row, String hash, int[] signature) {
    }
}

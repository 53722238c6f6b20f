package org.openledger.studio.api.attribution;

/**
 * An adapter's influence index ({@code GET /v1/attribution/indexes}): {@code state} is {@code queued},
 * {@code building}, {@code ready} or {@code failed}; {@code rows_done} counts progress while building.
 */
public record InfluenceIndexInfo(String adapter, String state, Integer rows, Integer rowsDone, Integer k,
                                 Long bytes, Double buildSeconds, String preconditioner, String error,
                                 Long updatedAt) {
}

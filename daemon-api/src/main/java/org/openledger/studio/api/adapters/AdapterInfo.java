package org.openledger.studio.api.adapters;

import java.util.List;

/**
 * One adapter of a node ({@code GET /v1/adapters}): what the registry holds (base model, rank, targets, bytes on
 * disk and as float32 on the device, SHA-256 of the weights, created, last used, why it is broken) and how it is
 * served: its tier now ({@code device}, {@code host} or {@code disk}), requests holding it, requests and tokens
 * served, where requests found it (hits per tier), loads and their times in milliseconds.
 */
public record AdapterInfo(String id, String baseModel, Integer rank, List<String> targets, long bytes,
                          long deviceBytes, String sha256, String createdAt, String lastUsedAt, String brokenReason,
                          String tier, int inUse, long requests, long tokens, long deviceHits, long hostHits,
                          long diskHits, long loads, Double lastDiskToHostMs, Double lastHostToDeviceMs,
                          Double meanLoadMs) {

    /** Requests that found it on the device, of all requests for it (null before the first). */
    public Double deviceHitRate() {
        long all = deviceHits + hostHits + diskHits;
        return all == 0 ? null : (double) deviceHits / all;
    }
}

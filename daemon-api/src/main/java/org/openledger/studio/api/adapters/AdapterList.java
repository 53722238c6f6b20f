package org.openledger.studio.api.adapters;

import java.util.List;

/**
 * A node's adapters ({@code GET /v1/adapters[?tier=device|host|disk]}): each tier's adapters, bytes and bound, the
 * requests holding or waiting for an adapter now ({@code in_flight}), completion tokens generated since the node
 * started (a client turns two readings into tokens/s), and the adapters themselves (those of {@code tier} only,
 * when it is given).
 */
public record AdapterList(String object, String tier, List<Tier> tiers, int inFlight, long tokensTotal,
                          List<AdapterInfo> data) {

    /** One tier: adapters in it, bytes they take, the bound (null for the disk). */
    public record Tier(String tier, int adapters, long bytes, Long boundBytes) {
    }
}

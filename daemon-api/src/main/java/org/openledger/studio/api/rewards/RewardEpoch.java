package org.openledger.studio.api.rewards;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reward epoch: the Merkle {@code root} of (account, cumulative OPEN earned so far) the node posts to the
 * {@code RewardDistributor}. {@code state} is {@code recorded} (kept by the node, not yet on chain: the next settle
 * posts it), {@code posted} (with {@code tx_hash} and {@code block}) or {@code failed} ({@code error} says why; the
 * next settle makes a new epoch). {@code cumulative} maps each account to its cumulative amount in wei;
 * {@code funded_wei} is what the node sent the distributor so it could pay everything owed.
 */
public record RewardEpoch(long epoch, String root, String state, String totalWei, String fundedWei,
                          Map<String, String> cumulative, String txHash, Long block, String createdAt,
                          String postedAt, String error) {

    public static final String RECORDED = "recorded";
    public static final String POSTED = "posted";
    public static final String FAILED = "failed";

    public RewardEpoch {
        cumulative = cumulative == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(cumulative));
    }
}

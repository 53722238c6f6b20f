package org.openledger.studio.api.rewards;

import java.util.List;

/**
 * {@code GET /v1/rewards/proof/{account}}: what {@code RewardDistributor.claim(account, cumulative, proof)} needs
 * against the newest posted epoch, with what the contract says is already claimed and the difference a claim would
 * pay now ({@code claimable_wei}, never negative). Amounts are decimal wei; {@code proof} and {@code root} are
 * 0x-prefixed 32-byte hashes.
 */
public record RewardProof(String account, long epoch, String root, String distributor, String cumulativeWei,
                          List<String> proof, String claimedWei, String claimableWei) {

    public RewardProof {
        proof = proof == null ? List.of() : List.copyOf(proof);
    }
}

package org.openledger.studio.api.chain;

import java.util.Map;

/**
 * Answer of {@code GET /v1/chain}: the chain this node works with. {@code status} is {@code starting} (the local devnet
 * is still starting or deploying), {@code ready} or {@code failed} (then {@code error} says why). {@code contracts} maps
 * contract names (OpenToken, StakingVault, DatanetRegistry, ModelRegistry, RewardDistributor) to addresses; empty
 * until known. {@code faucet} is true only on a ready local devnet.
 */
public record ChainInfo(String network, long chainId, String rpcUrl, String status, String error, boolean faucet,
                        Map<String, String> contracts) {

    public static final String STARTING = "starting";
    public static final String READY = "ready";
    public static final String FAILED = "failed";

    public ChainInfo {
        contracts = contracts == null ? Map.of() : Map.copyOf(contracts);
    }

    public boolean isReady() {
        return READY.equals(status);
    }
}

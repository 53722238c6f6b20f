package org.openledger.studio.api.chain;

import org.openledger.studio.api.rewards.RewardsApi;

/** What Wallet &amp; Staking asks a node: its chain, the devnet faucet, and an account's rewards. */
public interface WalletApi extends ChainApi, RewardsApi {
}

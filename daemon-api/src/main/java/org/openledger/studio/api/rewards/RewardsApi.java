package org.openledger.studio.api.rewards;

/** What the wallet and the Earnings tab ask a node about rewards. */
public interface RewardsApi {

    /** {@code account}'s claim against the newest posted epoch. */
    RewardProof rewardProof(String account);

    /** The node's reward credits, newest first; only {@code account}'s when it is not null. */
    RewardCredits rewardCredits(String account);

    /** Every reward epoch the node recorded, newest first. */
    RewardEpochs rewardEpochs();
}

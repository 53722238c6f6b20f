package org.openledger.studio.wallet.devnet;

import org.openledger.studio.contracts.generated.DatanetRegistry;
import org.openledger.studio.contracts.generated.ModelRegistry;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.contracts.generated.RewardDistributor;
import org.openledger.studio.contracts.generated.StakingVault;
import org.web3j.protocol.Web3j;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The five contracts of a {@link Deployment}, bound to one sender (its {@link TransactionManager}, normally a
 * {@link org.openledger.studio.wallet.chain.WalletTransactionManager}).
 */
public record Economy(OpenToken token, StakingVault vault, DatanetRegistry datanets, ModelRegistry models,
                      RewardDistributor rewards) {

    /** Target kinds of {@code StakingVault} (the Solidity enum's order). */
    public enum TargetKind { DATANET, MODEL, NODE, CONTRIBUTION;

        public java.math.BigInteger code() {
            return java.math.BigInteger.valueOf(ordinal());
        }
    }

    public static Economy load(Deployment d, Web3j web3j, TransactionManager sender) {
        // gas comes from the wallet's own estimate; the provider only satisfies web3j's constructor
        DefaultGasProvider gas = new DefaultGasProvider();
        return new Economy(OpenToken.load(d.openToken().lowercase(), web3j, sender, gas),
                StakingVault.load(d.stakingVault().lowercase(), web3j, sender, gas),
                DatanetRegistry.load(d.datanetRegistry().lowercase(), web3j, sender, gas),
                ModelRegistry.load(d.modelRegistry().lowercase(), web3j, sender, gas),
                RewardDistributor.load(d.rewardDistributor().lowercase(), web3j, sender, gas));
    }
}

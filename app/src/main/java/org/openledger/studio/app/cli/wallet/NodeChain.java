package org.openledger.studio.app.cli.wallet;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.chain.ChainService;
import org.openledger.studio.daemon.handlers.ChainHandlers;
import org.openledger.studio.daemon.handlers.RewardHandlers;
import org.openledger.studio.daemon.rewards.OnChainRewards;
import org.openledger.studio.daemon.rewards.RewardLedger;
import org.openledger.studio.wallet.WalletException;
import org.openledger.studio.wallet.chain.FoundryTools;

/**
 * The node's chain, for {@code studio daemon}: the local devnet (anvil under {@code <data>/chain}, started in the
 * background) unless an RPC URL is given; routes {@code /v1/chain} and the reward ledger ({@code /v1/rewards},
 * {@code <data>/rewards.db}), closed with the node.
 */
public final class NodeChain {

    private NodeChain() {
    }

    /** {@code services} plus the chain routes and the chain itself as a resource to close. */
    public static NodeServices attach(NodeServices services, String rpcUrl, Long chainId, Path data) {
        return attach(services, rpcUrl, chainId, data, RewardLedger.CreditFeed.NONE);
    }

    /** As above; the reward ledger also takes in {@code feed}'s credits (attribution's charged inferences). */
    public static NodeServices attach(NodeServices services, String rpcUrl, Long chainId, Path data,
                                      RewardLedger.CreditFeed feed) {
        return attach(services, rpcUrl, chainId, data, feed, source -> { }, null, c -> { });
    }

    /**
     * As above, handing {@code stakes} a reader of the stakes behind StakingVault targets on this chain and
     * {@code onChain} the chain itself (attribution reads challenges there).
     */
    public static NodeServices attach(NodeServices services, String rpcUrl, Long chainId, Path data,
                                      RewardLedger.CreditFeed feed,
                                      java.util.function.Consumer<org.openledger.studio.daemon.attribution.Attributions
                                              .StakeSource> stakes, java.time.Duration settleEvery,
                                      java.util.function.Consumer<ChainService> onChain) {
        return attach(services, rpcUrl, chainId, data, feed, stakes, settleEvery, onChain, null);
    }

    /** As above, signing as the operator of the {@code rpcUrl} chain with {@code operator} (null: no key). */
    public static NodeServices attach(NodeServices services, String rpcUrl, Long chainId, Path data,
                                      RewardLedger.CreditFeed feed,
                                      java.util.function.Consumer<org.openledger.studio.daemon.attribution.Attributions
                                              .StakeSource> stakes, java.time.Duration settleEvery,
                                      java.util.function.Consumer<ChainService> onChain,
                                      org.openledger.studio.daemon.chain.OperatorKey operator) {
        Path folder = data.resolve("chain");
        ChainService chain;
        if (rpcUrl != null) {
            if (chainId == null) {
                throw new UserError("--rpc-url needs --chain-id (e.g. 161201 for the OpenLedger testnet): every "
                        + "signature is checked against it");
            }
            chain = ChainService.remote(rpcUrl, chainId, folder, operator);
        } else if (chainId != null) {
            throw new UserError("--chain-id goes with --rpc-url; without them the node runs its own devnet (31337)");
        } else {
            chain = localDevnet(folder);
        }
        stakes.accept(new ChainStakes(chain));
        onChain.accept(chain);
        List<AutoCloseable> resources = new ArrayList<>(services.resources());
        resources.add(0, chain);
        // the reward ledger signs through the chain's operator: on the devnet it posts roots and tops up the
        // distributor from the deployer's OPEN; elsewhere it refuses to settle, saying why
        RewardLedger rewards;
        try {
            rewards = RewardLedger.open(data, new OnChainRewards(chain, true), Clock.systemUTC());
            rewards.feedFrom(feed);
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
        resources.add(1, rewards);
        if (settleEvery != null) {
            // closed before the ledger (resources close in reverse order)
            resources.add(2, new org.openledger.studio.daemon.rewards.SettlementSchedule(rewards, settleEvery));
        }
        return new NodeServices(services.routes().andThen(new ChainHandlers(chain)::register)
                .andThen(new RewardHandlers(rewards)::register), services.devices(), services.capabilities(),
                resources, services.metrics()).withCapability(new NodeInfo.Capability("settlement", true, rpcUrl == null
                ? "reward epochs: credits settled into Merkle roots posted by the devnet's operator; claims by proof"
                : operator != null ? "reward epochs: roots posted by the operator " + operator.address()
                : "reward ledger and proofs; no operator key to post roots on this chain"));
    }

    private static ChainService localDevnet(Path folder) {
        FoundryTools tools;
        try {
            tools = FoundryTools.fromEnvironment();
        } catch (WalletException e) {
            return ChainService.unavailable(folder, e.getMessage());
        }
        return ChainService.localDevnet(tools, folder);
    }
}

package org.openledger.studio.daemon.rewards;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.contracts.generated.RewardDistributor;
import org.openledger.studio.daemon.chain.ChainService;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainException;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The node's chain as the reward ledger uses it: reads through the chain's client, sends through the chain's operator
 * ({@link ChainService#asOperator}), so only a node with an operator key (its own devnet) posts roots or tops up the
 * distributor. Funding comes from the operator's own OPEN (on the devnet, the deployer's supply); a node built with
 * {@code mayFund} false never sends OPEN and refuses an underfunded epoch instead.
 */
public final class OnChainRewards implements RewardChain {

    private final ChainService chain;
    private final boolean mayFund;

    public OnChainRewards(ChainService chain, boolean mayFund) {
        this.chain = chain;
        this.mayFund = mayFund;
    }

    @Override
    public Address distributor() {
        return chain.ready().deployment().rewardDistributor();
    }

    @Override
    public long currentEpoch() {
        return read(distributorReader().currentEpoch(), "the current epoch").longValueExact();
    }

    @Override
    public BigInteger claimed(Address account) {
        return read(distributorReader().claimed(account.lowercase()), "what " + account + " claimed");
    }

    @Override
    public BigInteger held() {
        ChainService.Ready r = chain.ready();
        Web3j web3j = r.client().web3j();
        OpenToken token = OpenToken.load(r.deployment().openToken().lowercase(), web3j,
                new ReadonlyTransactionManager(web3j, r.deployment().rewardDistributor().lowercase()),
                new DefaultGasProvider());
        return read(token.balanceOf(r.deployment().rewardDistributor().lowercase()), "the distributor's OPEN");
    }

    @Override
    public Optional<String> cannotPost() {
        return chain.noOperatorKey();
    }

    @Override
    public Optional<String> cannotFund() {
        if (!mayFund) {
            ChainService.Ready r = chain.ready();
            return Optional.of("This node does not fund the RewardDistributor on " + r.network().name() + " (chain "
                    + r.network().chainId() + ")");
        }
        return chain.noOperatorKey().map(why -> why + "; fund the RewardDistributor "
                + chain.ready().deployment().rewardDistributor() + " with OPEN yourself");
    }

    @Override
    public void fund(BigInteger amountWei) {
        Address to = distributor();
        chain.asOperator(e -> e.token().transfer(to.lowercase(), amountWei).send());
    }

    @Override
    public Posted post(long epoch, byte[] root) {
        return chain.asOperator(e -> {
            TransactionReceipt receipt = e.rewards().postRoot(BigInteger.valueOf(epoch), root).send();
            return new Posted(epoch, root.clone(), receipt.getTransactionHash(),
                    receipt.getBlockNumber().longValueExact());
        });
    }

    @Override
    public Optional<Posted> posted(long epoch) {
        ChainService.Ready r = chain.ready();
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                r.deployment().rewardDistributor().lowercase())
                .addSingleTopic(EventEncoder.encode(RewardDistributor.ROOTPOSTED_EVENT))
                .addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(epoch), 64));
        EthLog logs;
        try {
            logs = r.client().web3j().ethGetLogs(filter).send();
        } catch (IOException e) {
            throw new ChainException("Cannot read the RewardDistributor's RootPosted events: " + e.getMessage(), e);
        }
        if (logs.hasError()) {
            throw new ChainException("Cannot read the RewardDistributor's RootPosted events: "
                    + logs.getError().getMessage());
        }
        for (EthLog.LogResult<?> result : logs.getLogs()) {
            if (result.get() instanceof Log log && !log.isRemoved()) {
                return Optional.of(new Posted(epoch, Numeric.hexStringToByteArray(log.getData()),
                        log.getTransactionHash(), log.getBlockNumber().longValueExact()));
            }
        }
        return Optional.empty();
    }

    private RewardDistributor distributorReader() {
        ChainService.Ready r = chain.ready();
        Web3j web3j = r.client().web3j();
        return RewardDistributor.load(r.deployment().rewardDistributor().lowercase(), web3j,
                new ReadonlyTransactionManager(web3j, r.deployment().rewardDistributor().lowercase()),
                new DefaultGasProvider());
    }

    private static <T> T read(RemoteFunctionCall<T> call, String what) {
        try {
            return call.send();
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("Cannot read " + what + " from the RewardDistributor: " + e.getMessage(), e);
        }
    }
}

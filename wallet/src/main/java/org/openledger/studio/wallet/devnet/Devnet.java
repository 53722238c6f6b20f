package org.openledger.studio.wallet.devnet;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.openledger.studio.contracts.ContractArtifacts;
import org.openledger.studio.contracts.generated.DatanetRegistry;
import org.openledger.studio.contracts.generated.ModelRegistry;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.contracts.generated.RewardDistributor;
import org.openledger.studio.contracts.generated.StakingVault;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.ChainException;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.openledger.studio.wallet.chain.LocalChain;
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.chain.RevertDecoder;
import org.openledger.studio.wallet.chain.WalletTransactionManager;
import org.openledger.studio.wallet.signing.TransactionRequest;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.gas.DefaultGasProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local devnet's economy: deploys the five contracts once (their addresses saved in {@code deployment.json} next
 * to the chain state, reused while the chain still has their code), and a faucet of test OPEN (plus gas money) that
 * refuses to run on any other chain.
 */
public final class Devnet {

    public static final BigInteger OPEN = BigInteger.TEN.pow(18);
    public static final BigInteger INITIAL_SUPPLY = OPEN.multiply(BigInteger.valueOf(100_000_000));
    public static final BigInteger REWARD_POOL = OPEN.multiply(BigInteger.valueOf(1_000_000));
    /** Unstaking cooldown on the devnet; public networks choose their own at deployment. */
    public static final Duration COOLDOWN = Duration.ofDays(3);

    private static final Logger log = LoggerFactory.getLogger(Devnet.class);
    private static final BigInteger GAS_MONEY = OPEN; // 1 ETH, 18 decimals like OPEN

    private final ChainClient client;
    private final Outbox outbox;
    private final Address operator;
    private final Clock clock;

    /** {@code operator} must be unlocked in the outbox's wallet and hold gas money (anvil's account 0 does). */
    public Devnet(ChainClient client, Outbox outbox, Address operator, Clock clock) {
        this.client = client;
        this.outbox = outbox;
        this.operator = operator;
        this.clock = clock;
    }

    /** A revert decoder that knows every custom error of the five contracts. */
    public static RevertDecoder revertDecoder() {
        RevertDecoder decoder = new RevertDecoder();
        ContractArtifacts.NAMES.forEach(n -> decoder.withAbi(ContractArtifacts.abi(n)));
        return decoder;
    }

    /** A call decoder that knows the five contracts of {@code d} by name. */
    public static org.openledger.studio.wallet.review.CallDecoder callDecoder(Deployment d) {
        return new org.openledger.studio.wallet.review.CallDecoder()
                .withContract(d.openToken(), "OpenToken", ContractArtifacts.abi("OpenToken"))
                .withContract(d.stakingVault(), "StakingVault", ContractArtifacts.abi("StakingVault"))
                .withContract(d.datanetRegistry(), "DatanetRegistry", ContractArtifacts.abi("DatanetRegistry"))
                .withContract(d.modelRegistry(), "ModelRegistry", ContractArtifacts.abi("ModelRegistry"))
                .withContract(d.rewardDistributor(), "RewardDistributor", ContractArtifacts.abi("RewardDistributor"));
    }

    /**
     * The deployment saved in {@code folder} if the chain still has its contracts, otherwise a fresh deployment
     * (saved there).
     */
    public Deployment deployOnce(Path folder) {
        requireDevnet();
        var saved = Deployment.read(folder);
        if (saved.isPresent() && saved.get().chainId() == client.expectedChainId() && hasCode(saved.get())) {
            return saved.get();
        }
        if (saved.isPresent()) {
            log.warn("The devnet no longer has the contracts listed in {}; deploying them again", folder);
        }
        Deployment d = deploy();
        d.write(folder);
        log.info("Deployed the OPEN contracts on chain {}: token {}", d.chainId(), d.openToken());
        return d;
    }

    private Deployment deploy() {
        WalletTransactionManager tm = sender();
        DefaultGasProvider gas = new DefaultGasProvider();
        var web3j = client.web3j();
        try {
            OpenToken token = OpenToken.deploy(web3j, tm, gas, operator.lowercase(), INITIAL_SUPPLY).send();
            StakingVault vault = StakingVault.deploy(web3j, tm, gas, token.getContractAddress(),
                    BigInteger.valueOf(COOLDOWN.toSeconds()), operator.lowercase()).send();
            DatanetRegistry datanets = DatanetRegistry.deploy(web3j, tm, gas, vault.getContractAddress(),
                    operator.lowercase()).send();
            ModelRegistry models = ModelRegistry.deploy(web3j, tm, gas, datanets.getContractAddress()).send();
            RewardDistributor rewards = RewardDistributor.deploy(web3j, tm, gas, token.getContractAddress(),
                    operator.lowercase(), operator.lowercase()).send();
            vault.grantRole(vault.STAKE_AGENT_ROLE().send(), datanets.getContractAddress()).send();
            vault.grantRole(vault.SLASHER_ROLE().send(), datanets.getContractAddress()).send();
            token.transfer(rewards.getContractAddress(), REWARD_POOL).send();
            return new Deployment(client.expectedChainId(), operator, Address.parse(token.getContractAddress()),
                    Address.parse(vault.getContractAddress()), Address.parse(datanets.getContractAddress()),
                    Address.parse(models.getContractAddress()), Address.parse(rewards.getContractAddress()),
                    clock.instant());
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("Deploying the OPEN contracts failed: " + e.getMessage(), e);
        }
    }

    /**
     * Mints {@code amount} test OPEN to {@code to}, and sends it 1 ETH of gas money when it has less than 0.1.
     */
    public void faucet(Deployment d, Address to, BigInteger amount) {
        requireDevnet();
        try {
            Economy.load(d, client.web3j(), sender()).token().mint(to.lowercase(), amount).send();
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("The faucet could not mint OPEN to " + to + ": " + e.getMessage(), e);
        }
        if (client.balance(to).compareTo(GAS_MONEY.divide(BigInteger.TEN)) < 0) {
            TransactionRequest r = outbox.prepare(operator, to, GAS_MONEY, null, FeeSuggestion.Speed.NORMAL);
            outbox.settle(outbox.broadcast(outbox.sign(operator, r, "devnet faucet gas money")),
                    Duration.ofSeconds(30));
        }
    }

    /** Sends as the operator through the wallet. */
    public WalletTransactionManager sender() {
        return new WalletTransactionManager(client, outbox, operator, Duration.ofSeconds(30));
    }

    private boolean hasCode(Deployment d) {
        for (Address a : new Address[] {d.openToken(), d.stakingVault(), d.datanetRegistry(), d.modelRegistry(),
            d.rewardDistributor()}) {
            try {
                String code = client.web3j().ethGetCode(a.lowercase(), DefaultBlockParameterName.LATEST).send()
                        .getCode();
                if (code == null || code.equals("0x")) {
                    return false;
                }
            } catch (java.io.IOException e) {
                throw new ChainException("Cannot read contract code at " + a + ": " + e.getMessage(), e);
            }
        }
        return true;
    }

    private void requireDevnet() {
        if (client.expectedChainId() != LocalChain.CHAIN_ID) {
            throw new ChainException("The devnet bootstrap and faucet only run on the local devnet (chain "
                    + LocalChain.CHAIN_ID + "), not on chain " + client.expectedChainId());
        }
        client.requireExpectedChain();
    }
}

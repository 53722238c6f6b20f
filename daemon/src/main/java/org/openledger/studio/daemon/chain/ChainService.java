package org.openledger.studio.daemon.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.chain.FaucetResult;
import org.openledger.studio.store.Folders;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.Mnemonic;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.WalletException;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.FoundryTools;
import org.openledger.studio.wallet.chain.LocalChain;
import org.openledger.studio.wallet.chain.Network;
import org.openledger.studio.wallet.chain.NonceBook;
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.devnet.Deployment;
import org.openledger.studio.wallet.devnet.Devnet;
import org.openledger.studio.wallet.devnet.Economy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain a node works with. By default a local devnet: anvil with its state in {@code <data>/chain}, the OPEN
 * contracts deployed once (addresses in {@code <data>/chain/deployment.json}) and a faucet; all of it started on a
 * background thread so the node answers at once ({@code starting} until ready). Otherwise any JSON-RPC endpoint with
 * its expected chain id (checked in the background; no faucet), using the contract addresses of a
 * {@code deployment.json} in the same folder when there is one.
 *
 * <p>The devnet's operator is anvil's public test account 0 (its phrase is printed in every foundry manual): it signs
 * deployments and faucet transfers from a throw-away wallet under {@code <data>/chain/operator}, made afresh with a
 * random password at each start, because that key protects nothing. On another chain the operator is the key of an
 * {@link OperatorKey} (a scrypt keystore given at start), taken into the same kind of throw-away wallet (encrypted
 * under a random password never written) and wiped from memory when the node stops; without one the node does not
 * sign on that chain.
 */
public final class ChainService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChainService.class);
    public static final long DEFAULT_FAUCET_OPEN = 1000;
    public static final long MAX_FAUCET_OPEN = 10_000;

    private final Path folder;
    private final boolean devnet;
    private final FoundryTools tools;
    private final Thread starter;
    /** One operator transaction at a time (the faucet's and the rewards'): the operator's nonces. */
    private final Object operatorLock = new Object();
    private Network network;
    private String status = ChainInfo.STARTING;
    private String error;
    private boolean closed;
    private LocalChain chain;
    private ChainClient client;
    private NonceBook book;
    private Devnet faucet;
    private Deployment deployment;
    /** The remote chain's operator key until its wallet takes it in (then wiped); null on the devnet or without. */
    private OperatorKey operatorKey;
    /** Who signs operator transactions and through what: set once the chain is ready and a key is there. */
    private Wallet operatorWallet;
    private Outbox operatorOutbox;
    private Address operatorAddress;

    private ChainService(Path folder, Network network, boolean devnet, FoundryTools tools) {
        this.folder = folder;
        this.tools = tools;
        this.network = network;
        this.devnet = devnet;
        this.starter = new Thread(devnet ? this::startDevnet : this::checkRemote, "chain-start");
        this.starter.setDaemon(true);
    }

    /** Starts anvil and deploys the contracts in the background; {@link #info()} says when it is ready. */
    public static ChainService localDevnet(FoundryTools tools, Path folder) {
        ChainService s = new ChainService(folder, Network.devnet(null), true, tools);
        s.starter.start();
        return s;
    }

    /** A node that has no chain to offer; {@link #info()} says why (e.g. anvil is not installed). */
    public static ChainService unavailable(Path folder, String reason) {
        ChainService s = new ChainService(folder, Network.devnet(null), true, null);
        s.status = ChainInfo.FAILED;
        s.error = reason;
        return s;
    }

    /** Another chain: {@code rpcUrl} must report {@code chainId} (checked in the background). */
    public static ChainService remote(String rpcUrl, long chainId, Path folder) {
        return remote(rpcUrl, chainId, folder, null);
    }

    /**
     * As above, signing operator transactions (reward roots, distributor funding) with {@code operator} when it is
     * not null; the service owns it from here (wiped once taken in, or at {@link #close()}).
     */
    public static ChainService remote(String rpcUrl, long chainId, Path folder, OperatorKey operator) {
        Network n = chainId == Network.OPENLEDGER_TESTNET_CHAIN_ID ? Network.openLedgerTestnet(rpcUrl)
                : chainId == Network.OPENLEDGER_MAINNET_CHAIN_ID ? Network.openLedgerMainnet(rpcUrl)
                : new Network("Custom RPC", chainId, rpcUrl);
        ChainService s = new ChainService(folder, n, false, null);
        s.operatorKey = operator;
        s.starter.start();
        return s;
    }

    public synchronized ChainInfo info() {
        Map<String, String> contracts = new LinkedHashMap<>();
        if (deployment != null) {
            contracts.put("OpenToken", deployment.openToken().toString());
            contracts.put("StakingVault", deployment.stakingVault().toString());
            contracts.put("DatanetRegistry", deployment.datanetRegistry().toString());
            contracts.put("ModelRegistry", deployment.modelRegistry().toString());
            contracts.put("RewardDistributor", deployment.rewardDistributor().toString());
        }
        return new ChainInfo(network.name(), network.chainId(), network.rpcUrl(), status, error,
                devnet && ChainInfo.READY.equals(status), contracts);
    }

    /** Waits (polling) until the chain is ready or failed; for tests and scripts. */
    public ChainInfo awaitStarted(Duration timeout) throws InterruptedException {
        starter.join(timeout.toMillis());
        return info();
    }

    /**
     * Sends {@code open} whole test OPEN (and gas money when low) to {@code to} on the devnet.
     *
     * @throws NotAvailableException when this is not a devnet or it is not ready yet
     */
    public FaucetResult faucet(Address to, long open) {
        // one faucet transfer at a time (the operator's nonces), without blocking info() while it is mined
        synchronized (operatorLock) {
            Devnet d;
            Deployment dep;
            ChainClient c;
            synchronized (this) {
                requireFaucet(open);
                d = faucet;
                dep = deployment;
                c = client;
            }
            d.faucet(dep, to, Devnet.OPEN.multiply(BigInteger.valueOf(open)));
            BigInteger tokens;
            try {
                tokens = Economy.load(dep, c.web3j(), d.sender()).token().balanceOf(to.lowercase()).send();
            } catch (Exception e) {
                throw new WalletException("The faucet sent OPEN but cannot read the balance: " + e.getMessage(), e);
            }
            return new FaucetResult(to.toString(), open, tokens.toString(), c.balance(to).toString());
        }
    }

    /** The ready chain as the node's own on-chain work (reward epochs) needs it: its connection and contracts. */
    public record Ready(Network network, boolean devnet, ChainClient client, Deployment deployment) {
    }

    /**
     * The chain once it is ready and its OPEN contracts are known.
     *
     * @throws NotAvailableException when it is still starting, failed, or has no contracts the node knows of
     */
    public synchronized Ready ready() {
        if (!ChainInfo.READY.equals(status)) {
            throw new NotAvailableException("The chain is " + status + (error == null ? "" : ": " + error)
                    + "; try again once GET /v1/chain says ready");
        }
        if (deployment == null) {
            throw new NotAvailableException("The node knows no OPEN contracts on " + network.name() + " (chain "
                    + network.chainId() + "): put their " + Deployment.FILE + " in " + folder);
        }
        return new Ready(network, devnet, client, deployment);
    }

    /** Work done as the chain's operator, with the contracts bound to the operator's sender. */
    @FunctionalInterface
    public interface OperatorWork<T> {
        T run(Economy asOperator) throws Exception;
    }

    /** Why this node cannot sign as the operator of its chain; empty when it can (the local devnet). */
    public synchronized java.util.Optional<String> noOperatorKey() {
        if (operatorOutbox != null) {
            return java.util.Optional.empty();
        }
        if (devnet) {
            return java.util.Optional.of("The local devnet is " + status + (error == null ? "" : ": " + error));
        }
        if (operatorKey != null) {
            return java.util.Optional.of("The chain is " + status + (error == null ? "" : ": " + error)
                    + "; the operator key is taken in once it is ready");
        }
        return java.util.Optional.of("This node has no operator key for " + network.name() + " (chain "
                + network.chainId() + "): start it with --operator-keystore FILE (a scrypt keystore of the key that "
                + "holds the RewardDistributor's OPERATOR_ROLE) and its password in --operator-password-file or "
                + "STUDIO_OPERATOR_PASSWORD");
    }

    /**
     * Runs {@code work} as the operator (on the devnet anvil's account 0, which holds the distributor's
     * OPERATOR_ROLE and the deployer's OPEN), one operator transaction at a time, shared with the faucet.
     *
     * @throws NotAvailableException when the node has no operator key for its chain ({@link #noOperatorKey()})
     * @throws org.openledger.studio.wallet.chain.ChainException when the work fails on chain (with the reason)
     */
    public <T> T asOperator(OperatorWork<T> work) {
        synchronized (operatorLock) {
            org.openledger.studio.wallet.chain.WalletTransactionManager sender;
            Deployment dep;
            ChainClient c;
            synchronized (this) {
                java.util.Optional<String> why = noOperatorKey();
                if (why.isPresent()) {
                    throw new NotAvailableException(why.get());
                }
                if (deployment == null) {
                    throw new NotAvailableException("The node knows no OPEN contracts on " + network.name()
                            + " (chain " + network.chainId() + "): put their " + Deployment.FILE + " in " + folder);
                }
                dep = deployment;
                c = client;
                sender = new org.openledger.studio.wallet.chain.WalletTransactionManager(c, operatorOutbox,
                        operatorAddress, Duration.ofSeconds(30));
            }
            try {
                return work.run(Economy.load(dep, c.web3j(), sender));
            } catch (org.openledger.studio.wallet.chain.ChainException e) {
                throw e;
            } catch (Exception e) {
                throw new org.openledger.studio.wallet.chain.ChainException(e.getMessage(), e);
            }
        }
    }

    private void requireFaucet(long open) {
        if (!devnet) {
            throw new NotAvailableException("The faucet only runs on the local devnet; this node uses "
                    + network.name() + " (chain " + network.chainId() + ")");
        }
        if (!ChainInfo.READY.equals(status)) {
            throw new NotAvailableException("The local devnet is " + status + (error == null ? "" : ": " + error)
                    + "; try again once GET /v1/chain says ready");
        }
        if (open < 1 || open > MAX_FAUCET_OPEN) {
            throw new IllegalArgumentException("The faucet sends 1 to " + MAX_FAUCET_OPEN + " OPEN, not " + open);
        }
    }

    private void startDevnet() {
        try {
            LocalChain started = LocalChain.start(tools, folder);
            synchronized (this) {
                if (closed) {
                    started.close();
                    return;
                }
                chain = started;
                network = Network.devnet(started.rpcUrl());
                client = new ChainClient(started.rpcUrl(), started.chainId(), Devnet.revertDecoder());
            }
            Path operatorFolder = folder.resolve("operator");
            try {
                Folders.deleteTree(operatorFolder);
            } catch (IOException e) {
                throw new WalletException("Cannot clear the devnet operator folder " + operatorFolder + ": "
                        + e.getMessage(), e);
            }
            Wallet wallet = throwAwayWallet(operatorFolder);
            char[] random = randomPassword();
            Address operator;
            try (Mnemonic m = Mnemonic.parse(Secret.of(LocalChain.DEV_MNEMONIC.toCharArray()));
                 Secret password = Secret.of(random)) {
                operator = wallet.createFromMnemonic(m, password).address();
                wallet.unlock(operator, password);
            }
            NonceBook nonces = NonceBook.open(operatorFolder.resolve("nonces.db"), Clock.systemUTC());
            Outbox outbox = new Outbox(client, nonces, wallet);
            Devnet d = new Devnet(client, outbox, operator, Clock.systemUTC());
            Deployment deployed = d.deployOnce(folder);
            synchronized (this) {
                book = nonces;
                faucet = d;
                deployment = deployed;
                operatorWallet = wallet;
                operatorOutbox = outbox;
                operatorAddress = operator;
                status = closed ? status : ChainInfo.READY;
            }
            log.info("Local devnet ready at {} (OPEN token {})", network.rpcUrl(), deployed.openToken());
        } catch (RuntimeException e) {
            fail("The local devnet could not start: " + e.getMessage(), e);
        }
    }

    private void checkRemote() {
        ChainClient c = new ChainClient(network.rpcUrl(), network.chainId(), Devnet.revertDecoder());
        try {
            c.requireExpectedChain();
            Deployment saved = Deployment.read(folder).filter(dep -> dep.chainId() == network.chainId()).orElse(null);
            synchronized (this) {
                client = c;
                deployment = saved;
            }
            takeInOperatorKey(c);
            synchronized (this) {
                status = closed ? status : ChainInfo.READY;
            }
        } catch (RuntimeException e) {
            c.close();
            fail("The chain at " + network.rpcUrl() + " is not usable: " + e.getMessage(), e);
        }
    }

    /**
     * Puts the remote chain's operator key into a throw-away wallet under {@code <chain>/operator} (a keystore
     * encrypted again under a random password that is never written, so nothing there opens without this process)
     * and wipes the key it was given.
     */
    private void takeInOperatorKey(ChainClient c) {
        OperatorKey key;
        synchronized (this) {
            key = operatorKey;
        }
        if (key == null) {
            return;
        }
        try (key) {
            Path operatorFolder = folder.resolve("operator");
            try {
                Folders.deleteTree(operatorFolder);
            } catch (IOException e) {
                throw new WalletException("Cannot clear the operator folder " + operatorFolder + ": "
                        + e.getMessage(), e);
            }
            Wallet wallet = throwAwayWallet(operatorFolder);
            try (Secret password = Secret.of(randomPassword())) {
                wallet.importPrivateKey(key.key(), password, "operator");
                wallet.unlock(key.address(), password);
            }
            NonceBook nonces = NonceBook.open(operatorFolder.resolve("nonces.db"), Clock.systemUTC());
            synchronized (this) {
                book = nonces;
                operatorWallet = wallet;
                operatorOutbox = new Outbox(c, nonces, wallet);
                operatorAddress = key.address();
                operatorKey = null;
            }
            log.info("Signing as the operator {} on {} (key from {})", key.address(), network.name(), key.file());
        }
    }

    private static Wallet throwAwayWallet(Path folder) {
        return new Wallet(folder, new Keystore(new ScryptParams(1 << 12, 8, 1), new SecureRandom()),
                Clock.systemUTC(), Duration.ofDays(3650));
    }

    private synchronized void fail(String message, RuntimeException e) {
        if (closed) {
            return;
        }
        status = ChainInfo.FAILED;
        error = message;
        log.warn(message, e);
    }

    private static char[] randomPassword() {
        SecureRandom r = new SecureRandom();
        char[] c = new char[32];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return c;
    }

    /** Stops anvil (it saves its state) and closes the connection; waits a little for a start in progress. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        starter.interrupt();
        try {
            starter.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (operatorKey != null) {
                operatorKey.close();
                operatorKey = null;
            }
            if (operatorWallet != null) {
                operatorWallet.lock();
            }
            if (book != null) {
                book.close();
            }
            if (client != null) {
                client.close();
            }
            if (chain != null) {
                chain.close();
            }
        }
    }

    /** The chain cannot do this now (not a devnet, or still starting). */
    public static final class NotAvailableException extends RuntimeException {
        public NotAvailableException(String message) {
            super(message);
        }
    }
}

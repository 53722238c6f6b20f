package org.openledger.studio.app.cli.wallet;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.cli.DaemonCommand;
import org.openledger.studio.app.cli.NodeTokens;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.openledger.studio.wallet.chain.NonceBook;
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.review.CallDecoder;
import org.openledger.studio.wallet.review.TransactionReview;
import org.openledger.studio.wallet.signing.SignedTransaction;
import org.openledger.studio.wallet.signing.TransactionRequest;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the on-chain commands share: which chain (an RPC URL and chain id, or the chain a node reports), the wallet and
 * its password, and the reviewed send (prepare, print the whole review, then sign + broadcast + wait only with
 * {@code --yes}).
 */
public final class ChainOptions {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);

    @Mixin
    WalletFolder wallet;

    @Option(names = "--rpc-url", description = "A chain's JSON-RPC URL (needs --chain-id); default: the chain the node "
            + "reports.")
    String rpcUrl;

    @Option(names = "--chain-id", description = "The chain id the RPC must have (31337 devnet, 161201 OpenLedger "
            + "testnet, 1612 OpenLedger mainnet); checked before every signature.")
    Long chainId;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:" + DaemonCommand.DEFAULT_PORT,
            description = "The node whose chain and contracts to use (default: ${DEFAULT-VALUE}, a local `studio "
                    + "daemon`).")
    String url;

    @Option(names = "--token-file", description = "File holding the node's token (default: the local node's, "
            + "<data>/node/token).")
    Path tokenFile;

    @Option(names = "--password-file", description = "File holding the wallet's password (needed with --yes).")
    Path passwordFile;

    @Option(names = "--fee", defaultValue = "normal", description = "Fee level from eth_feeHistory: slow, normal or "
            + "fast (a higher tip and more room for a rising base fee; default: ${DEFAULT-VALUE}).")
    String fee;

    @Option(names = "--yes", description = "Sign and broadcast after printing the review (without it nothing is sent).")
    boolean yes;

    /** The chain to use: the one given by --rpc-url/--chain-id (no contracts known) or the node's. */
    public ChainInfo chain() {
        if (rpcUrl != null) {
            if (chainId == null) {
                throw new UserError("--rpc-url needs --chain-id: every signature is checked against it");
            }
            return new ChainInfo("Custom RPC", chainId, rpcUrl, ChainInfo.READY, null, false, Map.of());
        }
        if (chainId != null) {
            throw new UserError("--chain-id goes with --rpc-url; without them the node's chain is used");
        }
        ChainInfo info;
        try {
            info = node().chain();
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserError("Cannot ask the node at " + url + " for its chain: " + e.getMessage());
        }
        if (!info.isReady()) {
            throw new UserError("The node's chain is " + info.status() + (info.error() == null ? ""
                    : ": " + info.error()) + "; try again once `GET /v1/chain` says ready");
        }
        return info;
    }

    /** A client of the node (--url, --token-file). */
    public NodeClient node() {
        return org.openledger.studio.app.cli.KnownNodes.forCurrentUser().client(NodeClient.defaultHttp(), url, token(),
                null);
    }

    /** The node's URL (--url). */
    public String url() {
        return url;
    }

    /** The node's token: --token-file, else the local node's under --home (or the OS folders). */
    public String nodeToken() {
        return token();
    }

    private String token() {
        AppDirs dirs = wallet.home != null ? AppDirs.under(wallet.home) : AppDirs.forCurrentUser();
        return NodeTokens.read(tokenFile, dirs.nodeData().resolve("token"), false);
    }

    /** The studio home given with --home, or null for the OS folders. */
    public Path home() {
        return wallet.home;
    }

    /** Opens a session on {@code chain} for {@code from}; with --yes the account is unlocked first. */
    public Session open(ChainInfo chain, String from) {
        speed(); // a bad --fee is a usage error before anything is unlocked
        Address sender = CliSecrets.userErrors(() -> Address.parse(from));
        Path folder = wallet.folder();
        Wallet w = CliSecrets.userErrors(() -> new Wallet(folder, CliSecrets.keystore(), Clock.systemUTC(),
                Duration.ofMinutes(5)));
        if (w.find(sender).isEmpty()) {
            throw new UserError("The address " + sender + " is not in the wallet " + folder + " (see `studio wallet "
                    + "list`)");
        }
        if (yes) {
            if (passwordFile == null) {
                throw new UserError("--yes needs --password-file to unlock " + sender);
            }
            try (Secret password = CliSecrets.read(passwordFile, "password")) {
                CliSecrets.userErrors(() -> {
                    w.unlock(sender, password);
                    return null;
                });
            }
        }
        return new Session(chain, w, sender, folder.resolve("transactions.db"));
    }

    /** The --fee level. */
    FeeSuggestion.Speed speed() {
        return switch (fee == null ? "normal" : fee.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "slow" -> FeeSuggestion.Speed.SLOW;
            case "normal" -> FeeSuggestion.Speed.NORMAL;
            case "fast" -> FeeSuggestion.Speed.FAST;
            default -> throw new UserError("--fee must be slow, normal or fast, got '" + fee + "'");
        };
    }

    /** A positive amount of OPEN with at most 18 decimals, in wei. */
    public static BigInteger open(String text, String option) {
        try {
            BigInteger v = org.openledger.studio.wallet.Open.parse(text).wei();
            if (v.signum() > 0) {
                return v;
            }
        } catch (org.openledger.studio.wallet.Open.InvalidAmountException e) {
            // falls through
        }
        throw new UserError(option + " must be a positive number of OPEN with at most 18 decimals, got '" + text + "'");
    }

    /** 18-decimal amount as a plain decimal. */
    public static String units(BigInteger wei) {
        return org.openledger.studio.wallet.Open.ofWei(wei).toOpenString();
    }

    /** One chain connection: client, nonce book, outbox, decoder; sends reviewed transactions. */
    public final class Session implements AutoCloseable {
        final ChainInfo info;
        final Wallet wallet;
        final Address from;
        private final org.openledger.studio.wallet.chain.ChainConnection connection;
        final ChainClient client;
        final NonceBook book;
        final Outbox outbox;
        final CallDecoder decoder;

        Session(ChainInfo info, Wallet wallet, Address from, Path db) {
            this.info = info;
            this.wallet = wallet;
            this.from = from;
            this.connection = new org.openledger.studio.wallet.chain.ChainConnection(info.rpcUrl(), info.chainId(),
                    info.contracts(), wallet, db);
            this.client = connection.client;
            this.book = connection.book;
            this.outbox = connection.outbox;
            this.decoder = connection.decoder;
        }

        Address contract(String name, String command) {
            String a = info.contracts().get(name);
            if (a == null) {
                throw new UserError(command + " needs the OPEN contracts, which a node publishes: use --url (and "
                        + "--token-file) of a node on this chain instead of --rpc-url");
            }
            return Address.parse(a);
        }

        /**
         * Prepares and prints the review of one transaction; with --yes signs, broadcasts and waits for it.
         *
         * @return whether it was sent and mined
         */
        public boolean send(PrintWriter out, String description, Address to, BigInteger value, byte[] data) {
            return send(out, description, to, value, data, hash -> outbox.settle(hash, SETTLE_TIMEOUT)) != null;
        }

        /**
         * As {@link #send(PrintWriter, String, Address, BigInteger, byte[])}, with {@code settle} waiting for the
         * broadcast transaction (given its hash), so a caller can record it as pending before it is mined.
         *
         * @return the receipt, or null when it was not sent (no --yes)
         */
        public TransactionReceipt send(PrintWriter out, String description, Address to, BigInteger value, byte[] data,
                                       java.util.function.Function<String, TransactionReceipt> settle) {
            FeeSuggestion.Speed speed = speed();
            TransactionRequest request = CliSecrets.userErrors(() -> outbox.prepare(from, to, value, data, speed));
            TransactionReview review = CliSecrets.userErrors(() -> outbox.review(from, request, decoder));
            print(out, description, review, speed);
            if (!yes) {
                out.println("Not sent: add --yes (and --password-file) to sign and broadcast it.");
                out.flush();
                return null;
            }
            TransactionReceipt receipt = CliSecrets.userErrors(() -> {
                SignedTransaction signed = outbox.sign(from, request, description);
                return settle.apply(outbox.broadcast(signed));
            });
            out.println("Mined: " + receipt.getTransactionHash() + " (block " + receipt.getBlockNumber() + ", gas used "
                    + receipt.getGasUsed() + ")");
            out.flush();
            return receipt;
        }

        public ChainClient client() {
            return client;
        }

        public Outbox outbox() {
            return outbox;
        }

        public Address from() {
            return from;
        }

        /** How long a send waits for its receipt. */
        public java.time.Duration settleTimeout() {
            return SETTLE_TIMEOUT;
        }

        private void print(PrintWriter out, String description, TransactionReview r, FeeSuggestion.Speed speed) {
            out.println("Review: " + description);
            out.println("  From:        " + r.from());
            out.println("  To:          " + (r.to() == null ? "(new contract)" : r.to()) + " (" + r.toLabel() + ")");
            out.println("  Value:       " + r.value() + " wei (" + units(r.value()) + " ETH)");
            out.println("  Call:        " + r.call().map(c -> c.contract() + "." + c.signatureWithValues())
                    .orElse(r.dataLength() == 0 ? "none (plain transfer)" : r.dataLength() + " bytes, not decoded"));
            out.println("  Gas:         " + r.gasLimit() + " x max fee " + r.maxFeePerGas() + " wei (priority "
                    + r.maxPriorityFeePerGas() + ") = " + r.maxFeeCost() + " wei (fee level "
                    + speed.name().toLowerCase(java.util.Locale.ROOT) + ")");
            out.println("  Max cost:    " + r.maxTotalCost() + " wei (" + units(r.maxTotalCost()) + " ETH), balance "
                    + r.balance() + " wei");
            out.println("  Chain:       " + info.network() + " (" + r.chainId() + ")");
            out.println("  Nonce:       " + r.nonce());
            for (TransactionReview.Warning w : r.warnings()) {
                out.println("  Warning:     " + w.message());
            }
            out.flush();
        }

        @Override
        public void close() {
            wallet.lock();
            connection.close();
        }
    }
}

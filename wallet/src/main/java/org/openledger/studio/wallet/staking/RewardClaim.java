package org.openledger.studio.wallet.staking;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.openledger.studio.contracts.generated.RewardDistributor;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.chain.TransactionRevertedException;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * Claiming OPEN from the {@code RewardDistributor} with a proof a node published ({@code GET /v1/rewards/proof}),
 * for every front end: the proof is checked before anything is signed (it verifies against the node's root, that
 * root is the distributor's, and the contract would pay: a {@code NothingToClaim} or {@code InvalidProof} revert is
 * refused with its decoded reason), then the {@code claim(account, cumulative, proof)} call to review and send, and
 * the amount paid read back from the mined {@code Claimed} event. Sending stays with the caller's reviewed flow
 * (print, then {@code --yes} in the CLI; the wallet's {@code ReviewedCalls} review, sign and broadcast in the studio).
 */
public final class RewardClaim {

    /** The contract's name, as a node publishes it and as reviews label it. */
    public static final String CONTRACT = "RewardDistributor";

    /** What a node says an account may claim: its cumulative amount in epoch {@code epoch}, the proof and root. */
    public record Proof(Address account, long epoch, BigInteger cumulative, List<byte[]> siblings, byte[] root) {

        public Proof {
            siblings = List.copyOf(siblings);
        }

        /**
         * A proof from a node's answer (0x hex hashes, decimal wei).
         *
         * @throws ClaimRefusedException when a field is not what the protocol says
         */
        public static Proof parse(String account, long epoch, String cumulativeWei, List<String> proof,
                                  String root) {
            try {
                List<byte[]> siblings = new ArrayList<>();
                for (String p : proof) {
                    siblings.add(bytes32(p));
                }
                return new Proof(Address.parse(account), epoch, new BigInteger(cumulativeWei), siblings,
                        bytes32(root));
            } catch (RuntimeException e) {
                throw new ClaimRefusedException("The node's reward proof is not readable: " + e.getMessage(), e);
            }
        }
    }

    /** One transaction to review and send: a contract call without value. */
    public record Call(String description, Address to, byte[] data) {
    }

    /** A checked claim: what it pays now ({@code amount} = cumulative − already claimed) and the call. */
    public record Request(Proof proof, BigInteger alreadyClaimed, BigInteger amount, Call call) {
    }

    /** What a mined claim paid, as the {@code Claimed} event says. */
    public record Claimed(Address account, BigInteger amount, BigInteger cumulative, long epoch, String txHash,
                          long block) {
    }

    private final ChainClient client;
    private final Address distributor;

    /**
     * @param contracts the chain's contract addresses by name, as a node publishes them ({@code GET /v1/chain})
     * @throws ClaimRefusedException when the chain has no {@code RewardDistributor}
     */
    public RewardClaim(ChainClient client, Map<String, String> contracts) {
        String d = contracts.get(CONTRACT);
        if (d == null) {
            throw new ClaimRefusedException("This chain has no RewardDistributor the node knows of; use a node on a "
                    + "chain with the OpenLedger contracts");
        }
        this.client = client;
        this.distributor = Address.parse(d);
    }

    public Address distributor() {
        return distributor;
    }

    /** What {@code account} has claimed so far, cumulatively. */
    public BigInteger claimed(Address account) {
        return read(reader(account).claimed(account.lowercase()), "what " + account + " claimed");
    }

    /**
     * Checks a claim sent by {@code from} (anyone may send it; the OPEN goes to the proof's account) and returns
     * the call to review and send.
     *
     * @throws ClaimRefusedException when the proof does not verify, is not for the distributor's root, or the
     *                               contract would revert (e.g. {@code NothingToClaim} when all is claimed)
     */
    public Request request(Address from, Proof proof) {
        byte[] leaf = RewardTree.leaf(proof.account(), proof.cumulative());
        if (!RewardTree.verify(proof.siblings(), proof.root(), leaf)) {
            throw new ClaimRefusedException("The node's proof for " + proof.account() + " does not verify against "
                    + "its own root " + hex(proof.root()) + ": nothing was sent");
        }
        RewardDistributor reader = reader(from);
        byte[] onChain = read(reader.merkleRoot(), "the current root");
        if (!Arrays.equals(onChain, proof.root())) {
            BigInteger epoch = read(reader.currentEpoch(), "the current epoch");
            throw new ClaimRefusedException("The RewardDistributor holds the root of epoch " + epoch + " ("
                    + hex(onChain) + "), not the node's epoch " + proof.epoch() + " (" + hex(proof.root())
                    + "): ask the node for a fresh proof");
        }
        byte[] data = Numeric.hexStringToByteArray(reader.claim(proof.account().lowercase(), proof.cumulative(),
                proof.siblings()).encodeFunctionCall());
        try {
            client.call(from, distributor, data, DefaultBlockParameterName.LATEST);
        } catch (TransactionRevertedException e) {
            String reason = e.getMessage().replaceFirst("^The transaction reverted: ", "");
            throw new ClaimRefusedException((reason.startsWith("NothingToClaim") ? "Nothing to claim for "
                    + proof.account() + " in epoch " + proof.epoch() + ": RewardDistributor.claim reverts "
                    : "RewardDistributor.claim for " + proof.account() + " would revert: ") + reason, e);
        }
        BigInteger already = claimed(proof.account());
        BigInteger amount = proof.cumulative().subtract(already);
        String description = "claim " + amount + " wei of OPEN for " + proof.account() + " (epoch " + proof.epoch()
                + ", cumulative " + proof.cumulative() + " wei)";
        return new Request(proof, already, amount, new Call(description, distributor, data));
    }

    /**
     * What a mined {@code claim} paid, from its {@code Claimed} event.
     *
     * @throws ClaimRefusedException when the receipt has no such event from this distributor
     */
    public Claimed claimed(TransactionReceipt receipt) {
        var events = RewardDistributor.getClaimedEvents(receipt).stream()
                .filter(e -> distributor.lowercase().equalsIgnoreCase(e.log.getAddress())).toList();
        if (events.isEmpty()) {
            throw new ClaimRefusedException("Transaction " + receipt.getTransactionHash() + " claimed nothing");
        }
        var e = events.get(0);
        return new Claimed(Address.parse(e.account), e.amount, e.cumulative, e.epoch.longValueExact(),
                receipt.getTransactionHash(), receipt.getBlockNumber().longValueExact());
    }

    /** Waits for a broadcast claim through {@code outbox} (a revert rethrown decoded) and reads what it paid. */
    public Claimed settle(Outbox outbox, String txHash, Duration timeout) {
        return claimed(outbox.settle(txHash, timeout));
    }

    /**
     * As {@link #settle(Outbox, String, Duration)}, shaped for a settle callback that must return the receipt (the
     * studio's {@code ReviewedCalls.Settle}): {@code claimed} gets the payment before the receipt is returned.
     */
    public TransactionReceipt settle(Outbox outbox, String txHash, Duration timeout, Consumer<Claimed> claimed) {
        TransactionReceipt receipt = outbox.settle(txHash, timeout);
        claimed.accept(claimed(receipt));
        return receipt;
    }

    private RewardDistributor reader(Address from) {
        return RewardDistributor.load(distributor.lowercase(), client.web3j(),
                new ReadonlyTransactionManager(client.web3j(), from.lowercase()), new DefaultGasProvider());
    }

    private static <T> T read(RemoteFunctionCall<T> call, String what) {
        try {
            return call.send();
        } catch (Exception e) {
            throw new ClaimRefusedException("Cannot read " + what + " from the RewardDistributor: " + e.getMessage(),
                    e);
        }
    }

    private static byte[] bytes32(String hex) {
        String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        byte[] b = HexFormat.of().parseHex(h);
        if (b.length != 32) {
            throw new IllegalArgumentException("'" + hex + "' is not a 32-byte hash");
        }
        return b;
    }

    /** 0x-prefixed lowercase hex. */
    public static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}

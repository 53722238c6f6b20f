package org.openledger.studio.daemon.rewards;

import java.math.BigInteger;
import java.util.Optional;
import org.openledger.studio.wallet.Address;

/**
 * What the reward ledger needs of the chain: the {@code RewardDistributor}'s state, funding it, and posting an
 * epoch's root as its operator. {@link OnChainRewards} is the real one; tests wrap it to inject faults.
 */
public interface RewardChain {

    /** A {@code RootPosted} event: the epoch's root is on chain in {@code block}, sent by {@code txHash}. */
    record Posted(long epoch, byte[] root, String txHash, long block) {
    }

    Address distributor();

    /** The distributor's {@code currentEpoch} (0 before any root). */
    long currentEpoch();

    /** What {@code account} has claimed so far, cumulatively ({@code claimed(account)}). */
    BigInteger claimed(Address account);

    /** The OPEN the distributor holds, in wei. */
    BigInteger held();

    /** Why this node cannot post roots on this chain; empty when it can. */
    Optional<String> cannotPost();

    /** Why this node cannot top up the distributor on this chain; empty when it can. */
    Optional<String> cannotFund();

    /** Sends {@code amountWei} OPEN to the distributor and waits until it is mined. */
    void fund(BigInteger amountWei);

    /** {@code postRoot(epoch, root)} as the operator; waits for the receipt. */
    Posted post(long epoch, byte[] root);

    /** The {@code RootPosted} event of {@code epoch}, if that epoch is on chain. */
    Optional<Posted> posted(long epoch);
}

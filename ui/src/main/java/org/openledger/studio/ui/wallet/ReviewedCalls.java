package org.openledger.studio.ui.wallet;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.Outbox;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Contract calls another section sends through the Wallet's own review: each one prepared and shown in full
 * (decoded call, gas, max cost, chain, nonce, warnings), signed only when the user signs it, broadcast only when the
 * user broadcasts it, from the account selected and unlocked in Wallet &amp; Staking. Staking uses the same flow.
 */
public interface ReviewedCalls {

    /** How long a broadcast call is waited for before it is left pending (in the history, to speed up or cancel). */
    Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    /** One call: no value, the data encoded; {@code settle} waits for it once broadcast (and may record it). */
    record Call(String description, Address to, byte[] data, Settle settle) {
    }

    /** Waits for a broadcast transaction; the default is the outbox's own settle. */
    @FunctionalInterface
    interface Settle {
        TransactionReceipt settle(Outbox outbox, String hash);
    }

    /** The active node's chain when it is ready, with its contracts. */
    Optional<ChainInfo> readyChain();

    /**
     * The account that will sign.
     *
     * @throws IllegalStateException saying what to do when no account is selected and unlocked
     */
    Address unlockedAccount();

    /** The connection the reviews use for {@code chain}, for reads that must agree with them. */
    ChainClient client(ChainInfo chain);

    /**
     * Shows the review of the first call; each next one is prepared once the previous is mined (its gas can depend
     * on it). {@code finished} runs on the FX thread after the last is mined or when a step fails.
     */
    void start(List<Call> calls, Runnable finished);
}

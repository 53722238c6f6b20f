package org.openledger.studio.wallet.chain;

import java.math.BigInteger;
import java.time.Instant;
import org.openledger.studio.wallet.Address;

/**
 * A transaction this wallet signed, as the nonce book remembers it. {@code reason} is the decoded revert reason of a
 * {@link Status#FAILED} one (empty otherwise, or while not known yet): it is worked out once, by replaying the call,
 * and kept, so the history never replays it again.
 */
public record PendingTransaction(String hash, long chainId, Address sender, BigInteger nonce, String rawHex,
                                 Status status, String description, Instant createdAt, String reason) {

    public PendingTransaction {
        reason = reason == null ? "" : reason;
    }

    public enum Status {
        /** Signed and saved, not (yet) accepted by a node: re-broadcasting the same bytes is safe. */
        SIGNED,
        /** Accepted by a node, not yet mined. */
        SENT,
        /** Mined and succeeded. */
        MINED,
        /** Mined and reverted (the fee was paid, nothing else happened). */
        FAILED,
        /** Another transaction with the same nonce was mined instead (speed-up, cancel). */
        REPLACED,
        /** Refused by the node (e.g. insufficient funds) or given up by the user: its nonce is free again. */
        DROPPED;

        public boolean unsettled() {
            return this == SIGNED || this == SENT;
        }
    }
}

package org.openledger.studio.wallet.chain;

/** A call or a mined transaction reverted; the message carries the decoded reason. */
public class TransactionRevertedException extends ChainException {
    public TransactionRevertedException(String message) {
        super(message);
    }

    public TransactionRevertedException(String message, Throwable cause) {
        super(message, cause);
    }
}

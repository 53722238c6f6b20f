package org.openledger.studio.wallet.chain;

/** A signed transaction could not be handed to the node; it is saved and can be resumed safely. */
public class BroadcastFailedException extends ChainException {
    public BroadcastFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.openledger.studio.wallet.chain;

import org.openledger.studio.wallet.WalletException;

/** A problem talking to the chain (node unreachable, rejected transaction); the message says what to do. */
public class ChainException extends WalletException {
    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}

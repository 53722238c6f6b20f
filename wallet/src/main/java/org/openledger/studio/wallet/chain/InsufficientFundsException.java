package org.openledger.studio.wallet.chain;

/** The sender cannot pay value + gas limit x max fee. */
public class InsufficientFundsException extends ChainException {
    public InsufficientFundsException(String message) {
        super(message);
    }

    public InsufficientFundsException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.openledger.studio.wallet.chain;

/** The RPC endpoint serves another chain than the one the wallet expects: nothing is signed. */
public class ChainMismatchException extends ChainException {
    public ChainMismatchException(String message) {
        super(message);
    }

    public ChainMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}

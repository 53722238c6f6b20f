package org.openledger.studio.wallet.chain;

/** The sender's pending transactions leave a nonce unused, so later ones would never be mined. */
public class NonceGapException extends ChainException {
    public NonceGapException(String message) {
        super(message);
    }

    public NonceGapException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.openledger.studio.wallet;

/** A wallet problem the user can act on; the message says what went wrong and what to do. */
public class WalletException extends RuntimeException {
    public WalletException(String message) {
        super(message);
    }

    public WalletException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.openledger.studio.wallet;

/** Bytes that are not a valid secp256k1 private key. */
public class InvalidPrivateKeyException extends WalletException {
    public InvalidPrivateKeyException(String message) {
        super(message);
    }

    public InvalidPrivateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}

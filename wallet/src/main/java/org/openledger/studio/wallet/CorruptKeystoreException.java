package org.openledger.studio.wallet;

/** A keystore file that cannot be read: not JSON, missing fields, an unsupported cipher or KDF. */
public class CorruptKeystoreException extends WalletException {
    public CorruptKeystoreException(String message) {
        super(message);
    }

    public CorruptKeystoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

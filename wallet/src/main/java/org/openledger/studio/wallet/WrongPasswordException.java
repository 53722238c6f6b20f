package org.openledger.studio.wallet;

/** The password does not open this keystore (its MAC does not match). */
public class WrongPasswordException extends WalletException {
    public WrongPasswordException(String message) {
        super(message);
    }

    public WrongPasswordException(String message, Throwable cause) {
        super(message, cause);
    }
}

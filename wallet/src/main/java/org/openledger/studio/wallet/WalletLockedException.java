package org.openledger.studio.wallet;

/** The account must be unlocked (again) before it can sign: it was never unlocked, was locked, or auto-locked after idle time. */
public class WalletLockedException extends WalletException {
    public WalletLockedException(String message) {
        super(message);
    }

    public WalletLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.openledger.studio.datanet.contribution;

/** The wallet did not sign (the user declined, or the wallet is locked); nothing was uploaded. */
public class SigningRefusedException extends RuntimeException {
    public SigningRefusedException(String message) {
        super(message);
    }
}

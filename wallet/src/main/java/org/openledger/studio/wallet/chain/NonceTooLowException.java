package org.openledger.studio.wallet.chain;

/** The nonce was already used on chain (by this transaction, mined, or by another one that replaced it). */
public class NonceTooLowException extends ChainException {
    public NonceTooLowException(String message) {
        super(message);
    }
}

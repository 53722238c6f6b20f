package org.openledger.studio.wallet;

/** A recovery phrase that is not a valid BIP39 English mnemonic (unknown word, wrong count, bad checksum). */
public class InvalidMnemonicException extends WalletException {
    public InvalidMnemonicException(String message) {
        super(message);
    }

    public InvalidMnemonicException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.openledger.studio.wallet;

/** Text that is not an Ethereum address, or whose mixed-case EIP-55 checksum is wrong (a likely typo). */
public class InvalidAddressException extends WalletException {
    public InvalidAddressException(String message) {
        super(message);
    }

    public InvalidAddressException(String message, Throwable cause) {
        super(message, cause);
    }
}

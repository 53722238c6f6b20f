package org.openledger.studio.wallet.signing;

import org.openledger.studio.wallet.WalletException;

/** JSON that is not valid EIP-712 typed data. */
public class InvalidTypedDataException extends WalletException {
    public InvalidTypedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.openledger.studio.wallet.registry;

import org.openledger.studio.wallet.WalletException;

/**
 * An adapter publication that must not be sent (or cannot be checked): already published, no adapter files, an
 * unknown Datanet, no ModelRegistry on the chain... The message says which and what to do.
 */
public class PublicationRefusedException extends WalletException {
    public PublicationRefusedException(String message) {
        super(message);
    }

    public PublicationRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}

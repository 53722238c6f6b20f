package org.openledger.studio.ui.datanet;

import org.openledger.studio.datanet.contribution.ManifestSigner;

/** Where the Datanets view gets the account that signs contributions (the wallet). */
@FunctionalInterface
public interface SignerSource {

    /**
     * @throws org.openledger.studio.datanet.contribution.SigningRefusedException when no account can sign now,
     *         with a message saying what to do
     */
    ManifestSigner signer();
}

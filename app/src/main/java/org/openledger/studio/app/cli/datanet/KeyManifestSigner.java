package org.openledger.studio.app.cli.datanet;

import java.util.Arrays;
import org.openledger.studio.datanet.contribution.ManifestSigner;
import org.openledger.studio.datanet.contribution.SigningRefusedException;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.signing.TypedData;
import org.openledger.studio.wallet.signing.TypedDataSigner;

/**
 * Signs contribution manifests with a wallet key through the wallet's own EIP-712 signer. The typed data is parsed
 * and hashed by the wallet; a digest that differs from the engine's is refused rather than signed blindly. The key
 * is the caller's to wipe.
 */
public final class KeyManifestSigner implements ManifestSigner {

    private final PrivateKey key;

    public KeyManifestSigner(PrivateKey key) {
        this.key = key;
    }

    @Override
    public String address() {
        return key.address().toString();
    }

    @Override
    public byte[] sign(byte[] digest, String typedDataJson) {
        TypedData typed = TypedData.parse(typedDataJson);
        if (!Arrays.equals(typed.digest(), digest)) {
            throw new SigningRefusedException("The manifest's EIP-712 digest does not match its typed data");
        }
        return new TypedDataSigner().sign(typed, key).bytes();
    }
}

package org.openledger.studio.wallet.signing;

import org.openledger.studio.wallet.PrivateKey;
import org.web3j.crypto.Sign;

/** Signs EIP-712 digests; byte-identical to {@code cast wallet sign --data} (proved by the tests). */
public final class TypedDataSigner {

    public Signature sign(TypedData data, PrivateKey key) {
        Sign.SignatureData sig = Sign.signMessage(data.digest(), key.credentials().getEcKeyPair(), false);
        return new Signature(sig.getR(), sig.getS(), sig.getV()[0] & 0xff);
    }
}

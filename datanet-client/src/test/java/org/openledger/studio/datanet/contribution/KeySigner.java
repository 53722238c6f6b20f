package org.openledger.studio.datanet.contribution;

import java.math.BigInteger;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** Signs with a raw key, as the wallet will (web3j's Sign, byte-identical to cast). Test keys only. */
final class KeySigner implements ManifestSigner {

    /** anvil's first development account (from the public "test test ... junk" mnemonic). */
    static final String DEV_KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    static final String DEV_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    private final ECKeyPair keys;

    KeySigner(String hexKey) {
        this.keys = ECKeyPair.create(new BigInteger(hexKey, 16));
    }

    @Override
    public String address() {
        return Keys.toChecksumAddress(Keys.getAddress(keys.getPublicKey()));
    }

    @Override
    public byte[] sign(byte[] digest, String typedDataJson) {
        Sign.SignatureData s = Sign.signMessage(digest, keys, false);
        byte[] out = new byte[65];
        System.arraycopy(s.getR(), 0, out, 0, 32);
        System.arraycopy(s.getS(), 0, out, 32, 32);
        out[64] = s.getV()[0];
        return out;
    }
}

package org.openledger.studio.wallet;

import java.math.BigInteger;
import org.web3j.crypto.Bip32ECKeyPair;

/**
 * A BIP32 derivation path. Ethereum accounts follow BIP44: {@code m/44'/60'/0'/0/i}. web3j's
 * {@code WalletUtils.loadBip39Credentials} uses the master key itself, which no other wallet does, so derivation
 * always goes through this path.
 */
public record HdPath(int[] components) {

    public static final int HARDENED = Bip32ECKeyPair.HARDENED_BIT;

    public HdPath {
        components = components.clone();
    }

    /** {@code m/44'/60'/0'/0/index}: account number {@code index} as MetaMask, Ledger and cast number them. */
    public static HdPath ethereum(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("An account index is 0 or more, got " + index);
        }
        return new HdPath(new int[] {44 | HARDENED, 60 | HARDENED, HARDENED, 0, index});
    }

    /** The key at this path below the BIP32 master key of {@code seed}. */
    public PrivateKey derive(byte[] seed) {
        Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(seed);
        Bip32ECKeyPair child = Bip32ECKeyPair.deriveKeyPair(master, components);
        BigInteger k = child.getPrivateKey();
        return PrivateKey.ofBigInteger(k);
    }

    /** The last component, which for {@link #ethereum(int)} paths is the account index. */
    public int index() {
        return components[components.length - 1] & ~HARDENED;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("m");
        for (int c : components) {
            sb.append('/').append(c & ~HARDENED);
            if ((c & HARDENED) != 0) {
                sb.append('\'');
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HdPath p && java.util.Arrays.equals(components, p.components);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(components);
    }
}

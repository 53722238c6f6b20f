package org.openledger.studio.datanet.check;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.web3j.crypto.Hash;

/**
 * A row's identity: keccak-256 of its normalised text in UTF-8. Keccak (not SHA-256) so the same hashes are the
 * leaves of the contribution's Merkle tree and can be checked on chain.
 */
public final class RowHash {

    private RowHash() {
    }

    public static byte[] of(String normalisedText) {
        return Hash.sha3(normalisedText.getBytes(StandardCharsets.UTF_8));
    }

    public static String hex(byte[] hash) {
        return "0x" + HexFormat.of().formatHex(hash);
    }
}

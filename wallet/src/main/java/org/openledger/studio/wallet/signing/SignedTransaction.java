package org.openledger.studio.wallet.signing;

import java.math.BigInteger;
import java.util.HexFormat;
import org.openledger.studio.wallet.Address;
import org.web3j.crypto.Hash;

/** A signed raw transaction, ready to broadcast; its hash is known before any node sees it. */
public record SignedTransaction(byte[] raw, Address from, long chainId, BigInteger nonce) {

    public SignedTransaction {
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** {@code 0x}-prefixed hex of the raw bytes, as {@code eth_sendRawTransaction} and {@code cast mktx} print it. */
    public String rawHex() {
        return "0x" + HexFormat.of().formatHex(raw);
    }

    /** The transaction hash: keccak256 of the raw bytes. */
    public String hash() {
        return "0x" + HexFormat.of().formatHex(Hash.sha3(raw));
    }
}

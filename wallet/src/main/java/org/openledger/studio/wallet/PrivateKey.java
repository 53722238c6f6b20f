package org.openledger.studio.wallet;

import java.math.BigInteger;
import java.util.Arrays;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * A secp256k1 private key as 32 wipeable bytes. {@link #close()} wipes it. Signing needs web3j's {@link Credentials},
 * which hold the key as an immutable {@link BigInteger}; {@link #credentials()} builds them only for the duration of a
 * signature, so that copy is short-lived garbage rather than a long-lived field.
 */
public final class PrivateKey implements AutoCloseable {

    private static final BigInteger CURVE_ORDER = Sign.CURVE_PARAMS.getN();

    private final byte[] bytes;
    private final Address address;
    private boolean wiped;

    private PrivateKey(byte[] bytes) {
        BigInteger k = new BigInteger(1, bytes);
        if (k.signum() == 0 || k.compareTo(CURVE_ORDER) >= 0) {
            Secret.wipe(bytes);
            throw new InvalidPrivateKeyException("A private key must be between 1 and the secp256k1 curve order");
        }
        this.bytes = bytes;
        BigInteger publicKey = Sign.publicKeyFromPrivate(k);
        this.address = Address.ofPublicKey(toFixed(publicKey, 64));
    }

    /** Takes ownership of 32 bytes (not copied). */
    public static PrivateKey of(byte[] thirtyTwoBytes) {
        if (thirtyTwoBytes == null || thirtyTwoBytes.length != 32) {
            throw new InvalidPrivateKeyException("A private key has 32 bytes, got "
                    + (thirtyTwoBytes == null ? "none" : thirtyTwoBytes.length));
        }
        return new PrivateKey(thirtyTwoBytes);
    }

    /** Parses 64 hex digits (optionally {@code 0x}-prefixed) from a wipeable secret. */
    public static PrivateKey parseHex(Secret hex) {
        char[] c = hex.chars();
        int start = c.length >= 2 && c[0] == '0' && (c[1] == 'x' || c[1] == 'X') ? 2 : 0;
        int end = c.length;
        while (end > start && Character.isWhitespace(c[end - 1])) {
            end--;
        }
        while (start < end && Character.isWhitespace(c[start])) {
            start++;
        }
        if (end - start != 64) {
            throw new InvalidPrivateKeyException("A private key is 64 hex digits; got " + (end - start));
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            int hi = Character.digit(c[start + 2 * i], 16);
            int lo = Character.digit(c[start + 2 * i + 1], 16);
            if (hi < 0 || lo < 0) {
                Secret.wipe(out);
                throw new InvalidPrivateKeyException("A private key is hex: the text holds a character that is not "
                        + "a hex digit");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return new PrivateKey(out);
    }

    static PrivateKey ofBigInteger(BigInteger k) {
        return new PrivateKey(toFixed(k, 32));
    }

    public Address address() {
        return address;
    }

    /** A copy of the 32 bytes; the caller must wipe it. */
    public byte[] bytes() {
        ensureAlive();
        return bytes.clone();
    }

    /** web3j credentials for one signature; do not keep them. */
    public Credentials credentials() {
        ensureAlive();
        return Credentials.create(ECKeyPair.create(bytes));
    }

    /** A copy that can be wiped independently (e.g. held by the unlocked-keys cache). */
    public PrivateKey copy() {
        return new PrivateKey(bytes());
    }

    public boolean isWiped() {
        return wiped;
    }

    @Override
    public void close() {
        Arrays.fill(bytes, (byte) 0);
        wiped = true;
    }

    private void ensureAlive() {
        if (wiped) {
            throw new WalletLockedException("This key was wiped (the account was locked); unlock it again");
        }
    }

    @Override
    public String toString() {
        return "PrivateKey[" + address + "]";
    }

    static byte[] toFixed(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        Secret.wipe(raw);
        return out;
    }
}

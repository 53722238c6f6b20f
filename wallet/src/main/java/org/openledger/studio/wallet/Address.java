package org.openledger.studio.wallet;

import java.util.Arrays;
import java.util.HexFormat;
import org.web3j.crypto.Hash;

/**
 * An Ethereum account address (20 bytes). {@link #toString()} gives the EIP-55 mixed-case checksum form; parsing
 * accepts all-lower or all-upper hex (no checksum to check) and rejects mixed case whose checksum is wrong, because
 * that is almost always a typo in a copied address.
 */
public final class Address {

    private final byte[] bytes;

    private Address(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Address of(byte[] twentyBytes) {
        if (twentyBytes == null || twentyBytes.length != 20) {
            throw new InvalidAddressException("An address has 20 bytes, got "
                    + (twentyBytes == null ? "none" : twentyBytes.length));
        }
        return new Address(twentyBytes.clone());
    }

    /** The address of an uncompressed secp256k1 public key (64 bytes, without the 0x04 prefix). */
    public static Address ofPublicKey(byte[] publicKey64) {
        byte[] hash = Hash.sha3(publicKey64);
        return new Address(Arrays.copyOfRange(hash, 12, 32));
    }

    /**
     * Parses {@code 0x}-prefixed (or bare) hex.
     *
     * @throws InvalidAddressException with the reason: length, non-hex characters or a failed EIP-55 checksum
     */
    public static Address parse(String text) {
        if (text == null) {
            throw new InvalidAddressException("No address given");
        }
        String t = text.strip();
        String hex = t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
        if (hex.length() != 40) {
            throw new InvalidAddressException("An address is 40 hex digits after 0x; '" + t + "' has " + hex.length());
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new InvalidAddressException("'" + t + "' is not an address: '" + hex.charAt(i)
                        + "' at position " + (i + 3) + " is not a hex digit");
            }
        }
        Address address = new Address(HexFormat.of().parseHex(hex));
        boolean mixed = !hex.equals(hex.toLowerCase()) && !hex.equals(hex.toUpperCase());
        if (mixed && !address.toString().substring(2).equals(hex)) {
            throw new InvalidAddressException("The address " + t + " fails its EIP-55 checksum (upper/lower case "
                    + "letters do not match): it was probably mistyped. Copy it again from its source.");
        }
        return address;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** All lower case, {@code 0x}-prefixed: the form JSON-RPC and databases use. */
    public String lowercase() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    /** The EIP-55 checksummed form: a hex letter is upper case where the keccak of the lower-case hex has a nibble >= 8. */
    @Override
    public String toString() {
        String lower = HexFormat.of().formatHex(bytes);
        String hash = HexFormat.of().formatHex(Hash.sha3(lower.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        StringBuilder sb = new StringBuilder("0x");
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            sb.append(Character.digit(hash.charAt(i), 16) >= 8 ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}

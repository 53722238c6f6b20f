package org.openledger.studio.wallet.staking;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Locale;
import org.openledger.studio.wallet.devnet.Economy;

/** {@code StakingVault} targets as people write them: {@code datanet|model|node:ID} (a decimal id or 0x + 32 bytes). */
public final class StakeTargets {

    /** A target: its kind and its 32-byte id. */
    public record Target(Economy.TargetKind kind, byte[] id) {
    }

    private StakeTargets() {
    }

    /** @throws IllegalArgumentException saying what is wrong with the text */
    public static Target parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a stake target is datanet:ID, model:ID or node:ID, got '" + text + "'");
        }
        Economy.TargetKind kind = switch (text.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
            case "datanet" -> Economy.TargetKind.DATANET;
            case "model" -> Economy.TargetKind.MODEL;
            case "node" -> Economy.TargetKind.NODE;
            default -> throw new IllegalArgumentException("a stake target's kind is datanet, model or node, got '"
                    + text.substring(0, colon) + "'");
        };
        String id = text.substring(colon + 1).trim();
        if (id.startsWith("0x") || id.startsWith("0X")) {
            byte[] bytes;
            try {
                bytes = HexFormat.of().parseHex(id.substring(2));
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException("a stake target id in hex is 0x and 64 hex digits (32 bytes), got '"
                        + id + "'");
            }
            return new Target(kind, bytes);
        }
        BigInteger n;
        try {
            n = new BigInteger(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a stake target id is a decimal number (e.g. a Datanet id) or 0x + 64"
                    + " hex digits, got '" + id + "'");
        }
        if (n.signum() < 0 || n.bitLength() > 256) {
            throw new IllegalArgumentException("a stake target id must fit in 32 bytes, got " + id);
        }
        byte[] bytes = new byte[32];
        byte[] raw = n.toByteArray();
        int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, bytes, 32 - len, len);
        return new Target(kind, bytes);
    }
}

package org.openledger.studio.app.cli.wallet;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Locale;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.wallet.devnet.Economy;

/** A {@code StakingVault} target as the CLI writes it: {@code datanet|model|node:ID} (decimal id or 0x + 32 bytes). */
record StakeTarget(Economy.TargetKind kind, byte[] id) {

    static StakeTarget parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new UserError("--target must be datanet:ID, model:ID or node:ID, got '" + text + "'");
        }
        Economy.TargetKind kind = switch (text.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
            case "datanet" -> Economy.TargetKind.DATANET;
            case "model" -> Economy.TargetKind.MODEL;
            case "node" -> Economy.TargetKind.NODE;
            default -> throw new UserError("--target kind must be datanet, model or node, got '"
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
                throw new UserError("--target id in hex must be 0x and 64 hex digits (32 bytes), got '" + id + "'");
            }
            return new StakeTarget(kind, bytes);
        }
        BigInteger n;
        try {
            n = new BigInteger(id);
        } catch (NumberFormatException e) {
            throw new UserError("--target id must be a decimal number (e.g. a Datanet id) or 0x + 64 hex digits, got '"
                    + id + "'");
        }
        if (n.signum() < 0 || n.bitLength() > 256) {
            throw new UserError("--target id must fit in 32 bytes, got " + id);
        }
        byte[] bytes = new byte[32];
        byte[] raw = n.toByteArray();
        int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, bytes, 32 - len, len);
        return new StakeTarget(kind, bytes);
    }

    BigInteger kindCode() {
        return kind.code();
    }
}

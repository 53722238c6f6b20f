package org.openledger.studio.datanet.contribution;

import java.util.HexFormat;

/** 0x-prefixed hex. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        return HexFormat.of().parseHex(h);
    }

    static String of(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}

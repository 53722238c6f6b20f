package org.openledger.studio.wallet.signing;

import java.util.HexFormat;

/** A secp256k1 signature as Ethereum tools print it: r (32 bytes) || s (32 bytes) || v (27 or 28). */
public record Signature(byte[] r, byte[] s, int v) {

    public Signature {
        if (r.length != 32 || s.length != 32) {
            throw new IllegalArgumentException("r and s are 32 bytes each");
        }
        r = r.clone();
        s = s.clone();
    }

    @Override
    public byte[] r() {
        return r.clone();
    }

    @Override
    public byte[] s() {
        return s.clone();
    }

    /** The 65 bytes r || s || v. */
    public byte[] bytes() {
        byte[] out = new byte[65];
        System.arraycopy(r, 0, out, 0, 32);
        System.arraycopy(s, 0, out, 32, 32);
        out[64] = (byte) v;
        return out;
    }

    public String hex() {
        return "0x" + HexFormat.of().formatHex(bytes());
    }
}

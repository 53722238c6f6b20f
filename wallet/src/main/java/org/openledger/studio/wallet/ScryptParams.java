package org.openledger.studio.wallet;

/**
 * The cost of the scrypt key derivation that protects keystores. {@link #STANDARD} (n = 2^18, r = 8, p = 1) is what
 * geth, MetaMask and cast write: about a second and 256 MB per unlock, which is the point — it makes guessing
 * passwords slow.
 */
public record ScryptParams(int n, int r, int p) {

    public static final ScryptParams STANDARD = new ScryptParams(1 << 18, 8, 1);

    /** Above this a keystore would need more than 1 GB to open: treated as damaged rather than tried. */
    static final int MAX_N = 1 << 20;

    public ScryptParams {
        if (n < 2 || (n & (n - 1)) != 0 || n > MAX_N) {
            throw new IllegalArgumentException("scrypt n must be a power of two between 2 and 2^20, got " + n);
        }
        if (r < 1 || p < 1 || (long) r * p >= 1 << 30 || r > 64 || p > 16) {
            throw new IllegalArgumentException("scrypt r/p out of range: r=" + r + ", p=" + p);
        }
    }
}

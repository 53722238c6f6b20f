package org.openledger.studio.datanet.check;

import java.util.SplittableRandom;

/**
 * MinHash signatures (Broder 1997): for each of {@code n} hash functions, the smallest hash over a row's shingles.
 * Two rows agree in one position with probability equal to their Jaccard index. The hash functions are
 * multiply-shift ({@code (a·x + b) >>> 32}, a odd) over the 64-bit shingle hashes: one multiply-add each, so a
 * 128-position signature of a 200-shingle row costs about 25,000 multiply-adds.
 */
public final class MinHasher {

    private final long[] a;
    private final long[] b;

    public MinHasher(int positions, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        a = new long[positions];
        b = new long[positions];
        for (int i = 0; i < positions; i++) {
            a[i] = random.nextLong() | 1L;
            b[i] = random.nextLong();
        }
    }

    public int positions() {
        return a.length;
    }

    public int[] signature(long[] shingles) {
        int n = a.length;
        long[] min = new long[n];
        java.util.Arrays.fill(min, Long.MAX_VALUE);
        for (long x : shingles) {
            for (int i = 0; i < n; i++) {
                long h = (a[i] * x + b[i]) >>> 32;
                if (h < min[i]) {
                    min[i] = h;
                }
            }
        }
        int[] sig = new int[n];
        for (int i = 0; i < n; i++) {
            sig[i] = (int) min[i];
        }
        return sig;
    }

    /** The fraction of agreeing positions: an unbiased estimate of the Jaccard index. */
    public static double estimate(int[] x, int[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("signatures of different lengths");
        }
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) {
                same++;
            }
        }
        return (double) same / x.length;
    }
}

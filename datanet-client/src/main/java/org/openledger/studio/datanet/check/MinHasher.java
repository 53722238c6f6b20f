package org.openledger.studio.datanet.check;

import java.util.SplittableRandom;

/**
 * MinHash signatures (Broder 1997): for each of {@code n} hash functions, the smallest hash over a row's shingles.
 * Two rows agree in one position with probability equal to their Jaccard index. The hash functions are random
 * affine permutations of 32-bit words ({@code a·x + b mod 2^32}, a odd) applied to the already well-mixed shingle
 * hashes: the inner loop is one multiply-add and a min per position, which the JIT turns into vector instructions
 * (8 or 16 positions at a time), so a 128-position signature of a 200-shingle row takes a few microseconds.
 */
public final class MinHasher {

    private final int[] a;
    private final int[] b;

    public MinHasher(int positions, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        a = new int[positions];
        b = new int[positions];
        for (int i = 0; i < positions; i++) {
            a[i] = random.nextInt() | 1;
            b[i] = random.nextInt();
        }
    }

    public int positions() {
        return a.length;
    }

    public int[] signature(long[] shingles) {
        int n = a.length;
        int[] min = new int[n];
        java.util.Arrays.fill(min, Integer.MAX_VALUE);
        for (long s : shingles) {
            int x = (int) (s ^ (s >>> 32));
            for (int i = 0; i < n; i++) {
                // flipping the sign bit makes the signed minimum the unsigned one
                min[i] = Math.min(min[i], (a[i] * x + b[i]) ^ Integer.MIN_VALUE);
            }
        }
        return min;
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

package org.openledger.studio.attribution.span;

/**
 * Stage 3 of {@link SuffixArray}'s SA-IS: from the LMS suffixes in their true order at their buckets' ends, every
 * other suffix is induced into place by one scan left to right (the L suffixes) and one right to left (the S
 * suffixes).
 */
final class SuffixInduction {

    private SuffixInduction() {
    }

    /**
     * Stage 3 induction: from the LMS suffixes sorted at their buckets' ends, one scan left to right places
     * every L suffix at its bucket's head and one scan right to left places every S suffix at its bucket's
     * tail (rewriting the S parts, seeds included). An entry {@code v > 0} is a suffix that still has to
     * induce its predecessor; {@code ~v} one that must not (its predecessor is of the other type, or it is
     * done). The L scan flips every entry it passes, so afterwards exactly the L suffixes with an S
     * predecessor are positive: they, and the S suffixes placed as the S scan goes, induce the S suffixes;
     * the S scan unflips the rest. The type of the predecessor comes from comparing neighbouring symbols.
     */
    static void induceAll(int[] t, int off, int[] sa, int n, int[] counts, int[] bucket) {
        Buckets.starts(counts, bucket);
        induceL(t, off, sa, n, bucket);
        Buckets.ends(counts, bucket);
        induceS(t, off, sa, n, bucket);
    }

    // Each scan is a method of its own, here and in LmsSubstrings: one loop per method reads (and profiles) more
    // easily, and the JIT compiles each hot loop on its own (on-stack replacement compiles the whole method
    // around the loop), which shortens the first, cold build a little.

    private static void induceL(int[] t, int off, int[] sa, int n, int[] bucket) {
        int j = n - 1;
        int c1 = t[off + j];
        int b = bucket[c1];
        sa[b++] = j > 0 && t[off + j - 1] < c1 ? ~j : j;
        for (int i = 0; i < n; i++) {
            j = sa[i];
            sa[i] = ~j;
            if (j > 0) {
                j--;
                int c0 = t[off + j];
                if (c0 != c1) {
                    bucket[c1] = b;
                    c1 = c0;
                    b = bucket[c1];
                }
                sa[b++] = j > 0 && t[off + j - 1] < c1 ? ~j : j;
            }
        }
    }

    private static void induceS(int[] t, int off, int[] sa, int n, int[] bucket) {
        int c1 = 0;
        int b = bucket[0];
        for (int i = n - 1; i >= 0; i--) {
            int j = sa[i];
            if (j > 0) {
                j--;
                int c0 = t[off + j];
                if (c0 != c1) {
                    bucket[c1] = b;
                    c1 = c0;
                    b = bucket[c1];
                }
                sa[--b] = j == 0 || t[off + j - 1] > c1 ? ~j : j;
            } else {
                sa[i] = ~j;
            }
        }
    }
}

package org.openledger.studio.attribution.span;

import java.util.Arrays;

/**
 * Builds the suffix array of a text of token ids in linear time with SA-IS (induced sorting).
 *
 * <p>Why SA-IS: the span index sorts every suffix of corpora of 10^8 tokens and more; comparison sorts are
 * O(n log n) comparisons of unbounded length and fall over on repetitive text (copied boilerplate, periodic
 * lines), while SA-IS is O(n) whatever the text looks like (Nong, Zhang and Chan, "Linear Suffix Array
 * Construction by Almost Pure Induced-Sorting", DCC 2009). The alphabet is the tokenizer's vocabulary, so the
 * text is an {@code int[]}, not bytes.
 *
 * <p>The sentinel is virtual: the end of the text is treated as a symbol smaller than every token, so the
 * caller passes the text as it is and gets back {@code n} suffix start positions (no entry for the sentinel).
 *
 * <p>How it is kept fast (the engineering follows Yuta Mori's sais-lite; the code is written for this class):
 * <ul>
 *   <li>No type array: whether a suffix is L or S is worked out from neighbouring symbols while scanning, and
 *       the induction scans carry "do not induce from here" as the sign bit of the suffix-array entry, so
 *       no {@code boolean[]} or bit vector is read at random places.</li>
 *   <li>The first induction (which sorts the LMS substrings) keeps only what the next scan needs: an entry that
 *       has induced its predecessor is cleared at once, so the scans skip most slots cheaply.</li>
 *   <li>No per-level copies: the names of the LMS substrings are written into the free half of the suffix
 *       array, the reduced text is gathered into the top of the same array, and the recursion sorts it there.
 *       Besides the text and the result, the only allocations are the per-level bucket arrays (one
 *       {@code int} per symbol).</li>
 *   <li>The induction loops keep the current bucket's fill pointer in a local and write it back only when the
 *       bucket changes; runs of suffixes induced into one bucket (common in natural text) cost no memory
 *       traffic for the pointer.</li>
 * </ul>
 *
 * <p>This class holds the driver ({@link #build} and the recursion, phases 1 to 5); the stages it calls are
 * {@link LmsSubstrings} (sorting and naming the LMS substrings), {@link SuffixInduction} (inducing every suffix
 * from the sorted LMS suffixes) and {@link Buckets}.
 *
 * <p>Memory: besides the text, the {@code int[n]} returned and bucket arrays: {@code 16k} bytes at the top level
 * ({@code k} the alphabet), then 4 bytes per distinct name at each recursion level plus 4 more for the level
 * being worked on (a level has at most half as many names as its text has symbols). On corpus text that is
 * about 2 bytes a token: about 10 bytes a token at the peak with the text (it was 25-30 before the recursion
 * moved into the result array).
 */
public final class SuffixArray {

    /**
     * Texts shorter than this name their LMS substrings during the induction, with a group flag of
     * {@code +n} on suffix-array entries: {@code 2n} must stay below {@code 2^31}.
     */
    private static final int NAMING_INDUCTION_LIMIT = 1 << 30;

    private SuffixArray() {
    }

    /**
     * The suffix array of {@code text}: {@code sa[r]} is the start of the r-th smallest suffix, where a suffix
     * that is a prefix of another sorts first.
     *
     * @param alphabetSize every token must lie in {@code [0, alphabetSize)}
     * @throws IllegalArgumentException naming the first token out of range
     */
    public static int[] build(int[] text, int alphabetSize) {
        if (alphabetSize < 1) {
            throw new IllegalArgumentException("alphabet size must be at least 1, was " + alphabetSize);
        }
        for (int i = 0; i < text.length; i++) {
            if (text[i] < 0 || text[i] >= alphabetSize) {
                throw new IllegalArgumentException(
                        "token " + text[i] + " at position " + i + " is outside [0, " + alphabetSize + ")");
            }
        }
        int n = text.length;
        if (n <= 1) {
            return new int[n];
        }
        int[] sa = new int[n];
        if (alphabetSize > n + 1) {
            // A huge vocabulary over a short text would make the buckets bigger than the text: rank the
            // distinct tokens first (order-preserving), so bucket arrays stay O(n).
            int[] distinct = text.clone();
            Arrays.sort(distinct);
            int k = 0;
            for (int i = 0; i < distinct.length; i++) {
                if (i == 0 || distinct[i] != distinct[i - 1]) {
                    distinct[k++] = distinct[i];
                }
            }
            int[] ranked = new int[n];
            for (int i = 0; i < n; i++) {
                ranked[i] = Arrays.binarySearch(distinct, 0, k, text[i]);
            }
            sais(ranked, 0, sa, n, k);
        } else {
            sais(text, 0, sa, n, alphabetSize);
        }
        return sa;
    }

    /**
     * SA-IS of the text {@code t[off .. off+n)}, symbols in {@code [0, k)}, into {@code sa[0 .. n)}; needs
     * {@code n >= 2}. In the recursion {@code t} is {@code sa} itself with the text at {@code off >= n}.
     *
     * <p>Types: a suffix is S if it is smaller than the suffix after it, L if larger; the last suffix is L
     * (it is larger than the empty suffix at the virtual sentinel). An LMS position is an S right after an L.
     * Scanning right to left, position {@code i} is S when {@code t[i] < t[i+1]}, or when they are equal and
     * {@code i+1} is S: runs of equal symbols take the type of the symbol after the run.
     */
    private static void sais(int[] t, int off, int[] sa, int n, int k) {
        int[] counts = new int[k];
        for (int i = off, end = off + n; i < end; i++) {
            counts[t[i]]++;
        }
        int[] bucket = new int[k];

        // Phase 1: every LMS position but the leftmost goes to the end of its bucket, stored as p - 1 (the
        // first scan of stage 1 reads an entry as "place my predecessor"). The leftmost is left out on
        // purpose: it induces only the text before it, which no LMS substring depends on. Writing each slot
        // one LMS late (pendingSlot) is how the leftmost one is left out without a second pass.
        Buckets.ends(counts, bucket);
        Arrays.fill(sa, 0, n, 0);
        int m = 0;
        int pendingSlot = -1;
        int pendingValue = 0;
        int i = n - 1;
        int c0 = t[off + i];
        int c1;
        // Skip the trailing run of L positions (the last position is L).
        do {
            c1 = c0;
        } while (--i >= 0 && (c0 = t[off + i]) >= c1);
        while (i >= 0) {
            // A run of S positions ...
            do {
                c1 = c0;
            } while (--i >= 0 && (c0 = t[off + i]) <= c1);
            if (i >= 0) {
                // ... ends at the LMS position i + 1 (symbol c1), preceded by the L position i.
                if (pendingSlot >= 0) {
                    sa[pendingSlot] = pendingValue;
                }
                pendingSlot = --bucket[c1];
                pendingValue = i;
                m++;
                do {
                    c1 = c0;
                } while (--i >= 0 && (c0 = t[off + i]) >= c1);
            }
        }

        // Phase 2: sort the LMS substrings by one induction pass each way, then name them by rank.
        int names;
        if (m > 1 && n < NAMING_INDUCTION_LIMIT && n / k >= 2) {
            // Small alphabet for the text (the top level of a byte or token text): name while inducing.
            // The leftmost LMS position's slot was reserved but never written (phase 1): give it back, so
            // bucket[c] is the lowest LMS slot in bucket c; flag it: in a bucket the LMS substrings are
            // all equal so far (one symbol), and the lowest slot starts that group.
            bucket[t[off + pendingValue + 1]]++;
            int end = 0;
            for (int c = 0; c < k; c++) {
                end += counts[c];
                if (bucket[c] != end) {
                    sa[bucket[c]] += n;
                }
            }
            LmsSubstrings.sortAndGroup(t, off, sa, n, k, counts, bucket);
            names = LmsSubstrings.nameGrouped(sa, n, m);
        } else if (m > 1) {
            // (the leftmost LMS position's slot stays empty, see phase 1)
            LmsSubstrings.sort(t, off, sa, n, counts, bucket);
            names = LmsSubstrings.name(t, off, sa, n, m);
        } else if (m == 1) {
            // A single LMS suffix is trivially sorted: its slot gets its true position.
            sa[pendingSlot] = pendingValue + 1;
            names = 1;
        } else {
            names = 0;
        }

        // Phase 3: equal names mean the LMS suffixes are not yet ordered: sort the reduced text (the names in
        // text order) recursively, in place. Names sit at sa[m + p/2] (LMS positions are at least 2 apart,
        // so p/2 is unique, and m + p/2 < n); gathering them from the top down into sa[n-m .. n) never
        // overwrites a name not yet read, since the write index stays at or above the read index.
        if (names < m) {
            bucket = null; // let the recursion reuse the memory; rebuilt from counts below
            int ra = n - m;
            for (int r = m + (n >> 1) - 1, w = n - 1; r >= m; r--) {
                if (sa[r] != 0) {
                    sa[w--] = sa[r] - 1;
                }
            }
            sais(sa, ra, sa, m, names);
            // sa[0 .. m) ranks the reduced suffixes; map them back to text positions through the LMS
            // positions in text order (recomputed into the reduced text's place, which is no longer needed).
            int w = n - 1;
            i = n - 1;
            c0 = t[off + i];
            do {
                c1 = c0;
            } while (--i >= 0 && (c0 = t[off + i]) >= c1);
            while (i >= 0) {
                do {
                    c1 = c0;
                } while (--i >= 0 && (c0 = t[off + i]) <= c1);
                if (i >= 0) {
                    sa[w--] = i + 1;
                    do {
                        c1 = c0;
                    } while (--i >= 0 && (c0 = t[off + i]) >= c1);
                }
            }
            for (int r = 0; r < m; r++) {
                sa[r] = sa[ra + sa[r]];
            }
            bucket = new int[k];
        }

        // Phase 4: the LMS suffixes, now in their true order in sa[0 .. m), move to the ends of their buckets
        // (from the largest down, so nothing unread is overwritten); every other slot is cleared.
        if (m > 1) {
            Buckets.ends(counts, bucket);
            int r = m - 1;
            int j = n;
            int p = sa[r];
            c1 = t[off + p];
            do {
                c0 = c1;
                int q = bucket[c0];
                while (q < j) {
                    sa[--j] = 0;
                }
                do {
                    sa[--j] = p;
                    if (--r < 0) {
                        break;
                    }
                    p = sa[r];
                } while ((c1 = t[off + p]) == c0);
            } while (r >= 0);
            while (j > 0) {
                sa[--j] = 0;
            }
        }

        // Phase 5: induce every suffix from the sorted LMS suffixes.
        SuffixInduction.induceAll(t, off, sa, n, counts, bucket);
    }
}

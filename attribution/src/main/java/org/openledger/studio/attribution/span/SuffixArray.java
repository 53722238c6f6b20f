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
        bucketEnds(counts, bucket);
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
            sortAndGroupLmsSubstrings(t, off, sa, n, k, counts, bucket);
            names = nameGroupedLmsSubstrings(sa, n, m);
        } else if (m > 1) {
            // (the leftmost LMS position's slot stays empty, see phase 1)
            sortLmsSubstrings(t, off, sa, n, counts, bucket);
            names = nameLmsSubstrings(t, off, sa, n, m);
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
            bucketEnds(counts, bucket);
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
        induceAll(t, off, sa, n, counts, bucket);
    }

    private static void bucketStarts(int[] counts, int[] bucket) {
        int sum = 0;
        for (int c = 0; c < counts.length; c++) {
            bucket[c] = sum;
            sum += counts[c];
        }
    }

    private static void bucketEnds(int[] counts, int[] bucket) {
        int sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += counts[c];
            bucket[c] = sum;
        }
    }

    /**
     * Stage 1 induction: sorts the LMS substrings. An entry {@code v > 0} at a slot stands for the suffix
     * {@code v + 1} and asks for its predecessor {@code v} to be placed; {@code ~v} marks a placed suffix that
     * must not induce in this scan; 0 is an empty slot (or a suffix 1, whose predecessor 0 is never needed).
     *
     * <p>L scan (left to right): each entry places its L predecessor at its bucket's head, marked when that
     * one's own predecessor is S (it will induce in the S scan instead), and is cleared; marked entries are
     * unmarked. S scan (right to left): each remaining entry places its S predecessor at its bucket's tail and
     * is cleared; a predecessor that is LMS is stored as {@code ~p}, its final form. What is left are the LMS
     * positions, complemented, in the order of their substrings.
     */
    private static void sortLmsSubstrings(int[] t, int off, int[] sa, int n, int[] counts, int[] bucket) {
        bucketStarts(counts, bucket);
        sortLmsL(t, off, sa, n, bucket);
        bucketEnds(counts, bucket);
        sortLmsS(t, off, sa, n, bucket);
    }

    private static void sortLmsL(int[] t, int off, int[] sa, int n, int[] bucket) {
        // The last suffix is L and smallest in its bucket: the virtual sentinel induces it.
        int j = n - 1;
        int c1 = t[off + j];
        int b = bucket[c1];
        j--;
        sa[b++] = t[off + j] < c1 ? ~j : j;
        for (int i = 0; i < n; i++) {
            j = sa[i];
            if (j > 0) {
                int c0 = t[off + j];
                if (c0 != c1) {
                    bucket[c1] = b;
                    c1 = c0;
                    b = bucket[c1];
                }
                j--;
                sa[b++] = t[off + j] < c1 ? ~j : j;
                sa[i] = 0;
            } else if (j < 0) {
                sa[i] = ~j;
            }
        }
    }

    private static void sortLmsS(int[] t, int off, int[] sa, int n, int[] bucket) {
        int c1 = 0;
        int b = bucket[0];
        for (int i = n - 1; i >= 0; i--) {
            int j = sa[i];
            if (j > 0) {
                int c0 = t[off + j];
                if (c0 != c1) {
                    bucket[c1] = b;
                    c1 = c0;
                    b = bucket[c1];
                }
                j--;
                sa[--b] = t[off + j] > c1 ? ~(j + 1) : j;
                sa[i] = 0;
            }
        }
    }

    /**
     * Moves the sorted LMS positions to {@code sa[0 .. m)} and names their substrings 1, 2, ... by rank
     * (equal substrings, equal names) at {@code sa[m + p/2]}; returns the number of distinct names.
     *
     * <p>Fast comparison: first each substring's length is stored in its name slot (one right-to-left pass
     * over the text), so two substrings are compared symbol by symbol only when their lengths agree. A
     * substring is the text from an LMS position through the next one; the last one runs to the end of the
     * text and is kept distinct from any other (its closing symbol is the virtual sentinel).
     */
    private static int nameLmsSubstrings(int[] t, int off, int[] sa, int n, int m) {
        int i = 0;
        int p;
        for (; (p = sa[i]) < 0; i++) {
            sa[i] = ~p;
        }
        if (i < m) {
            for (int j = i++; ; i++) {
                if ((p = sa[i]) < 0) {
                    sa[j++] = ~p;
                    sa[i] = 0;
                    if (j == m) {
                        break;
                    }
                }
            }
        }

        // Lengths: the same right-to-left type scan as phase 1; j is the previous (right) LMS position.
        i = n - 1;
        int j = n - 1;
        int c0 = t[off + i];
        int c1;
        do {
            c1 = c0;
        } while (--i >= 0 && (c0 = t[off + i]) >= c1);
        while (i >= 0) {
            do {
                c1 = c0;
            } while (--i >= 0 && (c0 = t[off + i]) <= c1);
            if (i >= 0) {
                sa[m + ((i + 1) >> 1)] = j - i;
                j = i + 1;
                do {
                    c1 = c0;
                } while (--i >= 0 && (c0 = t[off + i]) >= c1);
            }
        }

        int name = 0;
        int q = n;
        int qlen = 0;
        for (i = 0; i < m; i++) {
            p = sa[i];
            int plen = sa[m + (p >> 1)];
            boolean differs = true;
            if (plen == qlen && q + plen < n) {
                int d = 0;
                while (d < plen && t[off + p + d] == t[off + q + d]) {
                    d++;
                }
                differs = d < plen;
            }
            if (differs) {
                name++;
                q = p;
                qlen = plen;
            }
            sa[m + (p >> 1)] = name;
        }
        return name;
    }

    /**
     * Stage 1 induction that also groups equal LMS substrings, so they can be named without comparing text
     * (no pass over the substrings' symbols at random places). Entries as in {@link #sortLmsSubstrings}, plus
     * a flag of {@code +n} on the first entry of each group of equal substrings-so-far.
     *
     * <p>Why it works: two suffixes placed by one scan into the same bucket have equal substrings-so-far
     * exactly when their inducers were in the same group. So each scan counts groups as it passes flagged
     * entries ({@code group}), and an entry placed into a bucket starts a new group (gets the flag) when the
     * previous entry placed there came from another group ({@code lastGroup}). Entries that survive into the
     * next scan and those that do not are interleaved in a bucket, so each is tracked separately: the class
     * of a placement is {@code 2 * bucket + survives}. Between the scans the flags move from each group's
     * first entry to its last, because the S scan meets the groups from the right.
     */
    private static void sortAndGroupLmsSubstrings(int[] t, int off, int[] sa, int n, int k, int[] counts,
                                                  int[] bucket) {
        int[] lastGroup = new int[2 * k];
        bucketStarts(counts, bucket);
        int groups = groupL(t, off, sa, n, bucket, lastGroup);
        moveGroupFlagsToLast(sa, n);
        bucketEnds(counts, bucket);
        groupS(t, off, sa, n, bucket, lastGroup, groups + 1);
    }

    /** The L scan of {@link #sortAndGroupLmsSubstrings}; returns the number of groups it passed. */
    private static int groupL(int[] t, int off, int[] sa, int n, int[] bucket, int[] lastGroup) {
        // The last suffix, induced by the virtual sentinel, is a group of its own.
        int j = n - 1;
        int c1 = t[off + j];
        int b = bucket[c1];
        j--;
        boolean sPredecessor = t[off + j] < c1;
        j += n;
        sa[b++] = sPredecessor ? ~j : j;
        int group = 0;
        for (int i = 0; i < n; i++) {
            j = sa[i];
            if (j > 0) {
                if (j >= n) {
                    group++;
                    j -= n;
                }
                sa[i] = 0;
                if (j == 0) {
                    continue; // suffix 1: its predecessor 0 induces nothing and is never LMS
                }
                int c0 = t[off + j];
                if (c0 != c1) {
                    bucket[c1] = b;
                    c1 = c0;
                    b = bucket[c1];
                }
                j--;
                int cls = c0 << 1 | (t[off + j] < c1 ? 1 : 0);
                if (lastGroup[cls] != group) {
                    j += n;
                    lastGroup[cls] = group;
                }
                sa[b++] = (cls & 1) != 0 ? ~j : j;
            } else if (j < 0) {
                sa[i] = ~j;
            }
        }
        return group;
    }

    /** Moves each group's flag from its first (leftmost) entry to its last; a group of one keeps it. */
    private static void moveGroupFlagsToLast(int[] sa, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (sa[i] > 0 && sa[i] < n) {
                sa[i] += n;
                int first = i - 1;
                while (sa[first] < n) {
                    first--;
                }
                sa[first] -= n;
                i = first;
            }
        }
    }

    /** The S scan of {@link #sortAndGroupLmsSubstrings}, counting groups on from {@code group}. */
    private static void groupS(int[] t, int off, int[] sa, int n, int[] bucket, int[] lastGroup, int group) {
        int c1 = 0;
        int b = bucket[0];
        for (int i = n - 1; i >= 0; i--) {
            int j = sa[i];
            if (j > 0) {
                if (j >= n) {
                    group++;
                    j -= n;
                }
                sa[i] = 0;
                if (j == 0) {
                    continue; // as in the L scan: suffix 0 is not needed
                }
                int c0 = t[off + j];
                if (c0 != c1) {
                    bucket[c1] = b;
                    c1 = c0;
                    b = bucket[c1];
                }
                j--;
                int cls = c0 << 1 | (t[off + j] > c1 ? 1 : 0);
                if (lastGroup[cls] != group) {
                    j += n;
                    lastGroup[cls] = group;
                }
                // An LMS suffix (L predecessor) is final: store ~(p [+ n]) with p = j + 1.
                sa[--b] = (cls & 1) != 0 ? ~(j + 1) : j;
            }
        }
    }

    /**
     * After {@link #sortAndGroupLmsSubstrings}: moves the sorted LMS positions to {@code sa[0 .. m)} and names
     * them at {@code sa[m + p/2]}, counting down from the right where each flag closes a group; returns the
     * number of names. When every name is distinct the flags are removed and no names are needed.
     */
    private static int nameGroupedLmsSubstrings(int[] sa, int n, int m) {
        int names = 0;
        int i = 0;
        int p;
        for (; (p = sa[i]) < 0; i++) {
            p = ~p;
            if (p >= n) {
                names++;
            }
            sa[i] = p;
        }
        if (i < m) {
            for (int j = i++; ; i++) {
                if ((p = sa[i]) < 0) {
                    p = ~p;
                    if (p >= n) {
                        names++;
                    }
                    sa[j++] = p;
                    sa[i] = 0;
                    if (j == m) {
                        break;
                    }
                }
            }
        }
        if (names < m) {
            for (int r = m - 1, name = names + 1; r >= 0; r--) {
                p = sa[r];
                if (p >= n) {
                    p -= n;
                    name--;
                }
                sa[m + (p >> 1)] = name;
            }
        } else {
            for (int r = 0; r < m; r++) {
                if (sa[r] >= n) {
                    sa[r] -= n;
                }
            }
        }
        return names;
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
    private static void induceAll(int[] t, int off, int[] sa, int n, int[] counts, int[] bucket) {
        bucketStarts(counts, bucket);
        induceL(t, off, sa, n, bucket);
        bucketEnds(counts, bucket);
        induceS(t, off, sa, n, bucket);
    }

    // Each scan is a method of its own, here and below: one loop per method reads (and profiles) more
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

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
 * <p>Memory: besides the text, about {@code 13n} bytes at the top level (the array returned, the type flags,
 * the LMS name map) plus {@code 12m} for the {@code m <= n/2} LMS positions, and the recursion on a text of
 * {@code m} symbols; in practice 25-30 bytes per token at the peak.
 */
public final class SuffixArray {

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
        if (alphabetSize > text.length + 1) {
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
            int[] ranked = new int[text.length];
            for (int i = 0; i < text.length; i++) {
                ranked[i] = Arrays.binarySearch(distinct, 0, k, text[i]);
            }
            return sais(ranked, Math.max(k, 1) - 1);
        }
        return sais(text, alphabetSize - 1);
    }

    /**
     * SA-IS over {@code s} with symbols in {@code [0, upper]}.
     *
     * <p>Types: a suffix is S if it is smaller than the suffix after it, L if larger; the last suffix is L
     * (it is larger than the empty suffix at the virtual sentinel). An LMS position is an S right after an L.
     * Sorting the LMS suffixes is enough: one left-to-right pass induces every L suffix from them, and one
     * right-to-left pass induces every S suffix from the L ones.
     */
    private static int[] sais(int[] s, int upper) {
        int n = s.length;
        if (n == 0) {
            return new int[0];
        }
        if (n == 1) {
            return new int[] {0};
        }
        if (n == 2) {
            return s[0] < s[1] ? new int[] {0, 1} : new int[] {1, 0};
        }
        boolean[] isS = new boolean[n];
        for (int i = n - 2; i >= 0; i--) {
            isS[i] = s[i] == s[i + 1] ? isS[i + 1] : s[i] < s[i + 1];
        }
        // Bucket c holds the suffixes starting with symbol c: its L part starts at lStart[c], its S part at
        // sStart[c] (L suffixes come first within a bucket; they are smaller than the S ones).
        int[] lStart = new int[upper + 2];
        int[] sStart = new int[upper + 2];
        for (int i = 0; i < n; i++) {
            if (isS[i]) {
                lStart[s[i] + 1]++;
            } else {
                sStart[s[i]]++;
            }
        }
        for (int c = 0; c <= upper; c++) {
            sStart[c] += lStart[c];
            lStart[c + 1] += sStart[c];
        }

        int m = 0;
        for (int i = 1; i < n; i++) {
            if (isLms(isS, i)) {
                m++;
            }
        }
        int[] lms = new int[m];
        int[] lmsIndex = new int[n];
        Arrays.fill(lmsIndex, -1);
        for (int i = 1, k = 0; i < n; i++) {
            if (isLms(isS, i)) {
                lmsIndex[i] = k;
                lms[k++] = i;
            }
        }

        int[] sa = new int[n];
        // First induction from the LMS positions in text order: it sorts the LMS *substrings* (the text from
        // one LMS position to the next), not yet the suffixes.
        induce(s, lStart, sStart, sa, lms);
        if (m == 0) {
            return sa;
        }

        int[] sortedLms = new int[m];
        for (int i = 0, k = 0; i < n; i++) {
            if (lmsIndex[sa[i]] >= 0) {
                sortedLms[k++] = sa[i];
            }
        }
        // Name each LMS substring by its rank; equal substrings get equal names. The names, in text order,
        // form the reduced text whose suffix order is the LMS suffixes' order.
        int[] reduced = new int[m];
        int name = 0;
        reduced[lmsIndex[sortedLms[0]]] = 0;
        for (int k = 1; k < m; k++) {
            int a = sortedLms[k - 1];
            int b = sortedLms[k];
            if (!sameLmsSubstring(s, lms, lmsIndex, a, b)) {
                name++;
            }
            reduced[lmsIndex[b]] = name;
        }
        lmsIndex = null; // not needed in the recursion: let a large text give its memory back early
        int[] reducedSa = name + 1 == m ? inverse(reduced) : sais(reduced, name);
        reduced = null;
        for (int k = 0; k < m; k++) {
            sortedLms[k] = lms[reducedSa[k]];
        }
        // Second induction from the LMS suffixes in their true order gives the whole suffix array.
        induce(s, lStart, sStart, sa, sortedLms);
        return sa;
    }

    private static boolean isLms(boolean[] isS, int i) {
        return i > 0 && isS[i] && !isS[i - 1];
    }

    /** Whether the LMS substrings at {@code a} and {@code b} are equal (same symbols through the next LMS). */
    private static boolean sameLmsSubstring(int[] s, int[] lms, int[] lmsIndex, int a, int b) {
        int n = s.length;
        int endA = lmsIndex[a] + 1 < lms.length ? lms[lmsIndex[a] + 1] : n;
        int endB = lmsIndex[b] + 1 < lms.length ? lms[lmsIndex[b] + 1] : n;
        if (endA - a != endB - b) {
            return false;
        }
        for (; a < endA; a++, b++) {
            if (s[a] != s[b]) {
                return false;
            }
        }
        // The closing LMS symbol must match too; a substring that runs into the sentinel is unique.
        return a < n && b < n && s[a] == s[b];
    }

    /** When every name is distinct the reduced suffix array is just the inverse permutation of the names. */
    private static int[] inverse(int[] names) {
        int[] sa = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            sa[names[i]] = i;
        }
        return sa;
    }

    /**
     * Induced sorting: place {@code seeds} (LMS positions) in their buckets' S parts, then one scan left to
     * right places each L suffix {@code v-1} after the suffix {@code v} that induces it, and one scan right to
     * left places each S suffix (rewriting the S parts, seeds included, in their final order). The suffix
     * {@code n-1} is L and comes first in its bucket, induced by the virtual sentinel.
     *
     * <p>The type of {@code v-1} is worked out from symbols next to each other instead of a lookup in
     * a type array at a random place (one cache miss fewer per suffix): in the L scan {@code v} is L or LMS, so
     * {@code v-1} is L exactly when {@code s[v-1] >= s[v]}; in the S scan {@code v} is S exactly when it sits
     * in its bucket's S part.
     */
    private static void induce(int[] s, int[] lStart, int[] sStart, int[] sa, int[] seeds) {
        int n = s.length;
        Arrays.fill(sa, -1);
        int[] next = sStart.clone();
        for (int d : seeds) {
            sa[next[s[d]]++] = d;
        }
        next = lStart.clone();
        sa[next[s[n - 1]]++] = n - 1;
        for (int i = 0; i < n; i++) {
            int v = sa[i];
            if (v >= 1 && s[v - 1] >= s[v]) {
                sa[next[s[v - 1]]++] = v - 1;
            }
        }
        // Walk S buckets from their ends: the end of bucket c is the start of bucket c+1.
        next = lStart.clone();
        for (int i = n - 1; i >= 0; i--) {
            int v = sa[i];
            if (v >= 1) {
                int c = s[v];
                int before = s[v - 1];
                if (before < c || (before == c && i >= sStart[c])) {
                    sa[--next[before + 1]] = v - 1;
                }
            }
        }
    }
}

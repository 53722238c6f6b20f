package org.openledger.studio.attribution.span;

/**
 * Stage 1 of {@link SuffixArray}'s SA-IS: sorts the LMS substrings by one induction scan each way and names them
 * by rank (equal substrings, equal names), which gives the reduced text the recursion sorts. Two ways, chosen by
 * {@link SuffixArray}: {@link #sort} then {@link #name} compare substrings symbol by symbol where their lengths
 * agree; {@link #sortAndGroup} then {@link #nameGrouped} mark groups of equal substrings while inducing, so naming
 * reads no text (for texts with a small alphabet). Entries of {@code sa} carry their state in the sign bit (and, when
 * grouping, a {@code +n} group flag), as each method says.
 */
final class LmsSubstrings {

    private LmsSubstrings() {
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
    static void sort(int[] t, int off, int[] sa, int n, int[] counts, int[] bucket) {
        Buckets.starts(counts, bucket);
        sortLmsL(t, off, sa, n, bucket);
        Buckets.ends(counts, bucket);
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
    static int name(int[] t, int off, int[] sa, int n, int m) {
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
     * (no pass over the substrings' symbols at random places). Entries as in {@link #sort}, plus
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
    static void sortAndGroup(int[] t, int off, int[] sa, int n, int k, int[] counts,
                                                  int[] bucket) {
        int[] lastGroup = new int[2 * k];
        Buckets.starts(counts, bucket);
        int groups = groupL(t, off, sa, n, bucket, lastGroup);
        moveGroupFlagsToLast(sa, n);
        Buckets.ends(counts, bucket);
        groupS(t, off, sa, n, bucket, lastGroup, groups + 1);
    }

    /** The L scan of {@link #sortAndGroup}; returns the number of groups it passed. */
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

    /** The S scan of {@link #sortAndGroup}, counting groups on from {@code group}. */
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
     * After {@link #sortAndGroup}: moves the sorted LMS positions to {@code sa[0 .. m)} and names
     * them at {@code sa[m + p/2]}, counting down from the right where each flag closes a group; returns the
     * number of names. When every name is distinct the flags are removed and no names are needed.
     */
    static int nameGrouped(int[] sa, int n, int m) {
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
}

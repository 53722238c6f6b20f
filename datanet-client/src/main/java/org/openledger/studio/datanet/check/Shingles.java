package org.openledger.studio.datanet.check;

import java.util.Arrays;

/**
 * The set a row is compared by: its word k-grams (lower-cased letter/digit runs, punctuation and spacing ignored),
 * each hashed to 64 bits. A row with fewer than k words is one shingle of all its words. Near-duplicate similarity
 * is the Jaccard index of these sets.
 */
public final class Shingles {

    private final int words;

    public Shingles(int words) {
        if (words < 1) {
            throw new IllegalArgumentException("shingles need at least one word");
        }
        this.words = words;
    }

    /** Distinct shingle hashes, sorted. */
    public long[] of(String text) {
        long[] tokens = tokens(text);
        if (tokens.length == 0) {
            return new long[0];
        }
        int n = Math.max(1, tokens.length - words + 1);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long h = 0x9E3779B97F4A7C15L;
            for (int j = i; j < Math.min(tokens.length, i + words); j++) {
                h = mix(h ^ tokens[j]) + j - i;
            }
            out[i] = mix(h);
        }
        Arrays.sort(out);
        int distinct = 0;
        for (int i = 0; i < out.length; i++) {
            if (i == 0 || out[i] != out[i - 1]) {
                out[distinct++] = out[i];
            }
        }
        return distinct == out.length ? out : Arrays.copyOf(out, distinct);
    }

    private static long[] tokens(String text) {
        long[] buf = new long[Math.max(4, text.length() / 5)];
        int n = 0;
        long h = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                h = (h ^ Character.toLowerCase(c)) * 0x100000001B3L; // FNV-1a
                in = true;
            } else if (in) {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, n * 2);
                }
                buf[n++] = h;
                h = 0;
                in = false;
            }
        }
        if (in) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n + 1);
            }
            buf[n++] = h;
        }
        return Arrays.copyOf(buf, n);
    }

    /** The splitmix64 finaliser: spreads every input bit over the whole word. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Exact Jaccard index |a ∩ b| / |a ∪ b| of two sorted, distinct sets; two empty sets count as equal. */
    public static double jaccard(long[] a, long[] b) {
        if (a.length == 0 && b.length == 0) {
            return 1.0;
        }
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return (double) common / (a.length + b.length - common);
    }
}

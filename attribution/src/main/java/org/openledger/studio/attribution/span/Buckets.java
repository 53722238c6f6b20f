package org.openledger.studio.attribution.span;

/**
 * SA-IS's buckets: the slots of the suffix array that hold the suffixes starting with one symbol, as a fill pointer
 * per symbol computed from the symbol counts. Every stage of {@link SuffixArray} fills buckets from one end or the
 * other.
 */
final class Buckets {

    private Buckets() {
    }

    /** {@code bucket[c]}: the first slot of symbol {@code c}'s bucket (filled upwards from there). */
    static void starts(int[] counts, int[] bucket) {
        int sum = 0;
        for (int c = 0; c < counts.length; c++) {
            bucket[c] = sum;
            sum += counts[c];
        }
    }

    /** {@code bucket[c]}: one past the last slot of symbol {@code c}'s bucket (filled downwards from there). */
    static void ends(int[] counts, int[] bucket) {
        int sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += counts[c];
            bucket[c] = sum;
        }
    }
}

package org.openledger.studio.datanet.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds near-duplicate pairs among rows known by their LSH band hashes. Per band, (hash, row) pairs are packed into
 * longs and sorted, so rows sharing a bucket sit side by side: memory is one long per row at a time, not a hash
 * table per band, which keeps a million rows within a few tens of megabytes. Every candidate is verified by a
 * {@link PairScorer} before it is reported.
 */
public final class NearDuplicateFinder {

    /** In a bucket larger than this, members are paired with the bucket's first row only (groups still form). */
    static final int STAR_BUCKET = 64;

    private final double threshold;

    public NearDuplicateFinder(double threshold) {
        this.threshold = threshold;
    }

    /**
     * @param count      number of rows, indexed 0..count-1
     * @param bands      band hashes, row-major: {@code bandHashes[row * bands + band]}
     * @param firstNew   rows before this index are already known (the workspace); pairs among them are skipped
     * @param scorer     verifies a candidate
     */
    public List<SimilarPair> find(int count, int bands, int[] bandHashes, int firstNew, PairScorer scorer) {
        if (bandHashes.length < (long) count * bands) {
            throw new IllegalArgumentException("expected " + count + " x " + bands + " band hashes");
        }
        Set<Long> tried = new HashSet<>();
        List<SimilarPair> found = new ArrayList<>();
        long[] keys = new long[count];
        for (int band = 0; band < bands; band++) {
            for (int row = 0; row < count; row++) {
                keys[row] = ((long) bandHashes[row * bands + band] << 32) | row;
            }
            Arrays.sort(keys);
            int start = 0;
            while (start < count) {
                int end = start + 1;
                int hash = (int) (keys[start] >>> 32);
                while (end < count && (int) (keys[end] >>> 32) == hash) {
                    end++;
                }
                if (end - start > 1) {
                    bucket(keys, start, end, firstNew, scorer, tried, found);
                }
                start = end;
            }
        }
        return found;
    }

    private void bucket(long[] keys, int start, int end, int firstNew, PairScorer scorer, Set<Long> tried,
                        List<SimilarPair> found) {
        if (end - start > STAR_BUCKET) {
            for (int j = start + 1; j < end; j++) {
                consider((int) keys[start], (int) keys[j], firstNew, scorer, tried, found);
            }
            return;
        }
        for (int i = start; i < end; i++) {
            for (int j = i + 1; j < end; j++) {
                consider((int) keys[i], (int) keys[j], firstNew, scorer, tried, found);
            }
        }
    }

    private void consider(int a, int b, int firstNew, PairScorer scorer, Set<Long> tried, List<SimilarPair> found) {
        if (a < firstNew && b < firstNew) {
            return;
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        if (!tried.add(((long) lo << 32) | hi)) {
            return;
        }
        double[] s = scorer.score(lo, hi);
        if (s[0] >= threshold) {
            found.add(new SimilarPair(lo, hi, s[0], s[1]));
        }
    }
}

package org.openledger.studio.datanet.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openledger.studio.datanet.check.LshBands;
import org.openledger.studio.datanet.check.MinHasher;
import org.openledger.studio.datanet.check.NearDuplicateFinder;
import org.openledger.studio.datanet.check.NearDuplicateSettings;
import org.openledger.studio.datanet.check.Shingles;
import org.openledger.studio.datanet.check.SimilarPair;

/**
 * Precision and recall of the near-duplicate detector against brute-force exact Jaccard over every pair of a set of
 * texts: the truth is every pair whose shingle sets have Jaccard >= the threshold. Two detectors are scored, both
 * on the LSH candidates of {@link NearDuplicateFinder}: with each candidate verified by exact Jaccard (as the studio's
 * checks do), and with the MinHash estimate alone deciding.
 */
public final class NearDuplicateAccuracy {

    /** Precision and recall of one detector; {@code reported} pairs it named, {@code correct} of them true. */
    public record Scores(double precision, double recall, int reported, int correct) {
    }

    /** The outcome: the set's size, true pairs, the LSH banding used, and both detectors' scores. */
    public record Result(int texts, int truePairs, double threshold, LshBands banding, Scores verified,
                         Scores minHashAlone) {
    }

    private NearDuplicateAccuracy() {
    }

    public static Result measure(List<String> texts, NearDuplicateSettings settings) {
        Shingles shingles = new Shingles(settings.shingleWords());
        MinHasher hasher = new MinHasher(settings.positions(), settings.seed());
        LshBands banding = settings.banding();
        int n = texts.size();
        long[][] sets = new long[n][];
        int[][] signatures = new int[n][];
        int[] bandHashes = new int[n * banding.bands()];
        for (int i = 0; i < n; i++) {
            sets[i] = shingles.of(texts.get(i));
            signatures[i] = hasher.signature(sets[i]);
            System.arraycopy(banding.hashes(signatures[i]), 0, bandHashes, i * banding.bands(), banding.bands());
        }
        Set<Long> truth = new HashSet<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Shingles.jaccard(sets[i], sets[j]) >= settings.threshold()) {
                    truth.add(key(i, j));
                }
            }
        }
        NearDuplicateFinder finder = new NearDuplicateFinder(settings.threshold());
        List<SimilarPair> verified = finder.find(n, banding.bands(), bandHashes, 0,
                (a, b) -> new double[] {Shingles.jaccard(sets[a], sets[b]), MinHasher.estimate(signatures[a], signatures[b])});
        List<SimilarPair> estimated = finder.find(n, banding.bands(), bandHashes, 0, (a, b) -> {
            double e = MinHasher.estimate(signatures[a], signatures[b]);
            return new double[] {e, e};
        });
        return new Result(n, truth.size(), settings.threshold(), banding, scores(verified, truth),
                scores(estimated, truth));
    }

    private static Scores scores(List<SimilarPair> found, Set<Long> truth) {
        int tp = 0;
        for (SimilarPair p : found) {
            if (truth.contains(key(p.first(), p.second()))) {
                tp++;
            }
        }
        double precision = found.isEmpty() ? 1 : (double) tp / found.size();
        double recall = truth.isEmpty() ? 1 : (double) tp / truth.size();
        return new Scores(precision, recall, found.size(), tp);
    }

    private static long key(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }
}

package org.openledger.studio.datanet.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of MinHash + LSH near-duplicate detection against brute-force exact Jaccard over every pair,
 * on a seeded labelled set: base texts plus copies with random word edits (substitutions, insertions, deletions at
 * rates from 0 to 12%, which straddles the 0.8 threshold), plus unrelated texts.
 */
class NearDuplicateAccuracyTest {

    record Scores(double precision, double recall, int truePairs) {
    }

    @Test
    void verifiedLshFindsNearDuplicatesAsBruteForceDoes() {
        SplittableRandom random = new SplittableRandom(42);
        String[] vocabulary = new String[5000];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = word(random);
        }
        List<String> texts = new ArrayList<>();
        for (int base = 0; base < 300; base++) {
            List<String> words = new ArrayList<>();
            int length = 40 + random.nextInt(120);
            for (int i = 0; i < length; i++) {
                words.add(vocabulary[random.nextInt(vocabulary.length)]);
            }
            texts.add(String.join(" ", words));
            int copies = 1 + random.nextInt(5);
            for (int c = 0; c < copies; c++) {
                texts.add(String.join(" ", edit(words, random.nextDouble() * 0.12, vocabulary, random)));
            }
        }
        NearDuplicateSettings settings = NearDuplicateSettings.DEFAULT;
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
                    truth.add(((long) i << 32) | j);
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
        Scores exact = scores(verified, truth);
        Scores estimate = scores(estimated, truth);
        System.out.printf("near-duplicates at J>=%.2f, %d rows, %d true pairs, banding %d x %d:%n"
                        + "  LSH + exact verification: precision %.4f recall %.4f%n"
                        + "  LSH + MinHash estimate:    precision %.4f recall %.4f%n",
                settings.threshold(), n, truth.size(), banding.bands(), banding.rows(),
                exact.precision(), exact.recall(), estimate.precision(), estimate.recall());
        assertTrue(truth.size() > 300, "the labelled set has enough positives: " + truth.size());
        assertTrue(exact.precision() >= 0.95 && exact.recall() >= 0.95, exact.toString());
        assertTrue(estimate.precision() >= 0.85 && estimate.recall() >= 0.85, estimate.toString());
    }

    private static Scores scores(List<SimilarPair> found, Set<Long> truth) {
        int tp = 0;
        for (SimilarPair p : found) {
            if (truth.contains(((long) p.first() << 32) | p.second())) {
                tp++;
            }
        }
        double precision = found.isEmpty() ? 1 : (double) tp / found.size();
        double recall = truth.isEmpty() ? 1 : (double) tp / truth.size();
        return new Scores(precision, recall, truth.size());
    }

    private static List<String> edit(List<String> words, double rate, String[] vocabulary, SplittableRandom random) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (random.nextDouble() < rate) {
                switch (random.nextInt(3)) {
                    case 0 -> out.add(vocabulary[random.nextInt(vocabulary.length)]);
                    case 1 -> {
                        out.add(w);
                        out.add(vocabulary[random.nextInt(vocabulary.length)]);
                    }
                    default -> { } // deleted
                }
            } else {
                out.add(w);
            }
        }
        return out;
    }

    private static String word(SplittableRandom random) {
        int len = 3 + random.nextInt(7);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }
}

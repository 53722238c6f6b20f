package org.openledger.studio.app.load;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which of {@code k} adapters a request names: adapter {@code i} (0-based) with probability proportional to
 * {@code 1 / (i + 1)^s} (Zipf's law; s = 1 is the classic skew of real traffic, s = 0 uniform). Drawn by binary
 * search in the cumulative distribution, from the caller's seeded random source.
 */
final class ZipfTraffic {

    private final double[] cumulative;

    ZipfTraffic(int k, double exponent) {
        if (k < 1) {
            throw new IllegalArgumentException("Zipf traffic needs at least one adapter, not " + k);
        }
        if (!(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("the Zipf exponent must be a finite number >= 0, not " + exponent);
        }
        cumulative = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += 1.0 / Math.pow(i + 1, exponent);
            cumulative[i] = sum;
        }
        for (int i = 0; i < k; i++) {
            cumulative[i] /= sum;
        }
        cumulative[k - 1] = 1.0;
    }

    int size() {
        return cumulative.length;
    }

    /** Probability of adapter {@code i}. */
    double probability(int i) {
        return i == 0 ? cumulative[0] : cumulative[i] - cumulative[i - 1];
    }

    int next(SplittableRandom rnd) {
        int at = Arrays.binarySearch(cumulative, rnd.nextDouble());
        return Math.min(cumulative.length - 1, at >= 0 ? at + 1 : -at - 1);
    }
}

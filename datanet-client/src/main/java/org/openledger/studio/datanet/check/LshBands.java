package org.openledger.studio.datanet.check;

/**
 * Locality-sensitive hashing by banding (Leskovec, Rajaraman, Ullman, "Mining of Massive Datasets", ch. 3.4): the
 * signature is cut into {@code bands} bands of {@code rows} positions; two rows become candidates when all positions
 * of at least one band agree, which happens with probability {@code 1 - (1 - J^rows)^bands}. Candidates are then
 * verified, so the banding is chosen for recall.
 */
public record LshBands(int bands, int rows) {

    public LshBands {
        if (bands < 1 || rows < 1) {
            throw new IllegalArgumentException("bands and rows must be positive");
        }
    }

    /**
     * The banding within {@code positions} that makes a pair exactly at the threshold a candidate with probability
     * at least 0.99 and, among those, lets through the fewest pairs below the threshold (the area under the
     * S-curve from 0 to the threshold, as datasketch's MinHashLSH integrates it).
     */
    public static LshBands forThreshold(double threshold, int positions) {
        if (threshold <= 0 || threshold >= 1) {
            throw new IllegalArgumentException("the threshold must be between 0 and 1, was " + threshold);
        }
        double best = Double.MAX_VALUE;
        LshBands choice = new LshBands(positions, 1);
        for (int r = 1; r <= positions; r++) {
            int b = positions / r;
            if (probability(threshold, b, r) < 0.99) {
                continue;
            }
            double falseCandidates = 0;
            int steps = 200;
            for (int i = 0; i < steps; i++) {
                falseCandidates += probability((i + 0.5) * threshold / steps, b, r) * threshold / steps;
            }
            if (falseCandidates < best) {
                best = falseCandidates;
                choice = new LshBands(b, r);
            }
        }
        return choice;
    }

    /** The probability that two rows of Jaccard index {@code s} become candidates. */
    public static double probability(double s, int bands, int rows) {
        return 1 - Math.pow(1 - Math.pow(s, rows), bands);
    }

    public int positionsUsed() {
        return bands * rows;
    }

    /** One 32-bit hash per band; equal hashes in the same band make two rows candidates. */
    public int[] hashes(int[] signature) {
        if (signature.length < bands * rows) {
            throw new IllegalArgumentException("a signature of " + signature.length + " positions is too short for "
                    + bands + " bands of " + rows);
        }
        int[] out = new int[bands];
        for (int band = 0; band < bands; band++) {
            long h = 0xCBF29CE484222325L ^ band;
            for (int i = band * rows; i < (band + 1) * rows; i++) {
                h = Shingles.mix(h ^ (signature[i] & 0xFFFFFFFFL));
            }
            out[band] = (int) (h ^ (h >>> 32));
        }
        return out;
    }
}

package org.openledger.studio.datanet.check;

/**
 * How near-duplicates are found.
 *
 * @param threshold    rows whose shingle sets have a Jaccard index at least this are near-duplicates (default 0.8)
 * @param positions    MinHash signature length (default 128)
 * @param shingleWords words per shingle (default 3)
 * @param seed         fixes the hash functions; signatures are comparable only under the same seed and length
 */
public record NearDuplicateSettings(double threshold, int positions, int shingleWords, long seed) {

    public static final long DEFAULT_SEED = 0x0DA7A4E7L;
    public static final NearDuplicateSettings DEFAULT = new NearDuplicateSettings(0.8, 128, 3, DEFAULT_SEED);

    public NearDuplicateSettings {
        if (threshold <= 0 || threshold > 1) {
            throw new IllegalArgumentException("the similarity threshold must be in (0, 1], was " + threshold);
        }
        if (positions < 16 || positions > 1024) {
            throw new IllegalArgumentException("signature positions must be 16..1024, was " + positions);
        }
    }

    public NearDuplicateSettings withThreshold(double t) {
        return new NearDuplicateSettings(t, positions, shingleWords, seed);
    }

    public LshBands banding() {
        return LshBands.forThreshold(Math.min(threshold, 0.99), positions);
    }
}

package org.openledger.studio.gpu.generate;

/**
 * When the running batch merges one adapter into a copy of the base weights (dLoRA): the adapter must hold more
 * than {@code mergeAbove} of the rows over the last {@code windowSteps} steps, and the copy is dropped when its
 * share falls below {@code unmergeBelow} (hysteresis, so traffic near one threshold does not merge and unmerge
 * at every step). At most one copy, of at most {@code maxBytes}.
 *
 * @param maxBytes device bytes the merged copy may take; 0 turns merging off
 */
public record Merging(int windowSteps, double mergeAbove, double unmergeBelow, long maxBytes) {

    public static final Merging OFF = new Merging(1, 1, 0, 0);

    public Merging {
        if (windowSteps < 1 || !(mergeAbove > 0 && mergeAbove <= 1) || !(unmergeBelow >= 0)
                || unmergeBelow > mergeAbove || maxBytes < 0) {
            throw new IllegalArgumentException("merging needs a window of at least one step, 0 < mergeAbove <= 1,"
                    + " 0 <= unmergeBelow <= mergeAbove and maxBytes >= 0; got " + windowSteps + ", " + mergeAbove
                    + ", " + unmergeBelow + ", " + maxBytes);
        }
    }

    /** Over the last 32 steps: merge above 80% of the rows, unmerge below 60%. */
    public static Merging upTo(long maxBytes) {
        return new Merging(32, 0.8, 0.6, maxBytes);
    }

    public boolean enabled() {
        return maxBytes > 0;
    }
}

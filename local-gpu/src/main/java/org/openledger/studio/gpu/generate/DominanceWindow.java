package org.openledger.studio.gpu.generate;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The share of rows each key (an adapter) had over the last steps, and which key should be merged now under a
 * {@link Merging}'s thresholds. Rows without a key (base-model rows) count in the total. Used by one thread.
 */
final class DominanceWindow<K> {

    private final Merging merging;
    private final ArrayDeque<Map<K, Integer>> steps = new ArrayDeque<>();
    private final ArrayDeque<Integer> stepRows = new ArrayDeque<>();
    private final Map<K, Long> rows = new HashMap<>();
    private long total;

    DominanceWindow(Merging merging) {
        this.merging = merging;
    }

    /** One step's rows: one entry per row, null for a base-model row. */
    void record(List<K> step) {
        Map<K, Integer> counts = new HashMap<>();
        for (K k : step) {
            if (k != null) {
                counts.merge(k, 1, Integer::sum);
            }
        }
        steps.addLast(counts);
        stepRows.addLast(step.size());
        counts.forEach((k, n) -> rows.merge(k, (long) n, Long::sum));
        total += step.size();
        while (steps.size() > merging.windowSteps()) {
            steps.removeFirst().forEach((k, n) -> rows.computeIfPresent(k, (x, have) -> have - n == 0 ? null : have - n));
            total -= stepRows.removeFirst();
        }
    }

    /** The key's share of the rows in the window (0 when the window is empty). */
    double share(K key) {
        return total == 0 ? 0 : rows.getOrDefault(key, 0L) / (double) total;
    }

    /**
     * The key that should be merged now, given the one merged now ({@code current}, or null): the current one
     * while its share stays at or above {@code unmergeBelow}; otherwise the key with the largest share once the
     * window is full and that share is above {@code mergeAbove}; otherwise none.
     */
    K decide(K current) {
        if (current != null && share(current) >= merging.unmergeBelow()) {
            return current;
        }
        if (steps.size() < merging.windowSteps()) {
            return null;
        }
        K best = null;
        long most = 0;
        for (Map.Entry<K, Long> e : rows.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best != null && share(best) > merging.mergeAbove() ? best : null;
    }
}

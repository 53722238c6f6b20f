package org.openledger.studio.datanet.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups rows into exact duplicates (same row hash) and near-duplicates (verified LSH candidates, joined
 * transitively). Works on compact columns so that a million rows fit in memory: a 64-bit hash prefix and the band
 * hashes per row. Only groups that contain at least one new row are reported.
 */
public final class RedundancyCheck {

    private final double threshold;

    public RedundancyCheck(double threshold) {
        this.threshold = threshold;
    }

    /**
     * @param ids        row ids, existing rows first
     * @param hashPrefix the first 8 bytes of each row hash
     * @param bands      band hashes per row (row-major), {@code bandCount} each
     * @param firstNew   index of the first new row
     * @param scorer     verifies a near-duplicate candidate ({@code {jaccard, estimate}}), by row index
     */
    public List<DuplicateGroup> groups(long[] ids, long[] hashPrefix, int[] bands, int bandCount, int firstNew,
                                       PairScorer scorer) {
        int n = ids.length;
        List<DuplicateGroup> out = new ArrayList<>();
        // exact: sort indexes by hash, runs are groups; the first member represents the group below
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : hashPrefix[a] != hashPrefix[b]
                ? Long.compare(hashPrefix[a], hashPrefix[b]) : Integer.compare(a, b));
        int[] representative = new int[n];
        for (int s = 0; s < n; ) {
            int e = s + 1;
            while (e < n && hashPrefix[order[e]] == hashPrefix[order[s]]) {
                e++;
            }
            for (int k = s; k < e; k++) {
                representative[order[k]] = order[s];
            }
            if (e - s > 1 && order[e - 1] >= firstNew) {
                List<Integer> members = new ArrayList<>();
                for (int k = s; k < e; k++) {
                    members.add(order[k]);
                }
                out.add(group(DuplicateGroup.Kind.EXACT, members, ids, firstNew, 1.0, 1.0));
            }
            s = e;
        }
        // near: only representatives take part; a pair whose rows are exact copies is already reported above
        List<SimilarPair> pairs = new NearDuplicateFinder(threshold).find(n, bandCount, bands, firstNew, (a, b) ->
                representative[a] != a || representative[b] != b ? new double[] {-1, -1} : scorer.score(a, b));
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (SimilarPair p : pairs) {
            parent[find(parent, p.first())] = find(parent, p.second());
        }
        Map<Integer, List<Integer>> components = new HashMap<>();
        Map<Integer, double[]> weakest = new HashMap<>();
        for (SimilarPair p : pairs) {
            int root = find(parent, p.first());
            double[] w = weakest.computeIfAbsent(root, r -> new double[] {1, 1});
            w[0] = Math.min(w[0], p.similarity());
            w[1] = Math.min(w[1], p.estimate());
            for (int member : new int[] {p.first(), p.second()}) {
                List<Integer> list = components.computeIfAbsent(root, r -> new ArrayList<>());
                if (!list.contains(member)) {
                    list.add(member);
                }
            }
        }
        for (Map.Entry<Integer, List<Integer>> c : components.entrySet()) {
            List<Integer> members = c.getValue();
            members.sort(null);
            if (members.get(members.size() - 1) >= firstNew) {
                double[] w = weakest.get(c.getKey());
                out.add(group(DuplicateGroup.Kind.NEAR, members, ids, firstNew, w[0], w[1]));
            }
        }
        out.sort((x, y) -> Long.compare(firstOf(x), firstOf(y)));
        return out;
    }

    private static long firstOf(DuplicateGroup g) {
        return g.rows().isEmpty() ? Long.MAX_VALUE : g.rows().get(0);
    }

    private static DuplicateGroup group(DuplicateGroup.Kind kind, List<Integer> members, long[] ids, int firstNew,
                                        double similarity, double estimate) {
        List<Long> fresh = new ArrayList<>();
        List<Long> existing = new ArrayList<>();
        for (int m : members) {
            (m >= firstNew ? fresh : existing).add(ids[m]);
        }
        fresh.sort(null);
        existing.sort(null);
        return new DuplicateGroup(kind, fresh, existing, List.of(), round(similarity), round(estimate));
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }
}

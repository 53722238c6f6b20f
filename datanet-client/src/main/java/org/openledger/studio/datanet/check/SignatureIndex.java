package org.openledger.studio.datanet.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's near-duplicate index of one Datanet: row hashes and MinHash signatures, bucketed by LSH band. Built
 * for the lowest threshold it will be asked about (candidates above it are found with probability ≥ 0.99), queried
 * at any threshold at or above that. Thread-safe.
 */
public final class SignatureIndex implements NodeDuplicateIndex {

    private final LshBands banding;
    private final double lowestThreshold;
    private final List<String> hashes = new ArrayList<>();
    private final List<int[]> signatures = new ArrayList<>();
    private final Map<String, Integer> byHash = new HashMap<>();
    private final Map<Long, List<Integer>> buckets = new HashMap<>();

    public SignatureIndex(NearDuplicateSettings settings) {
        this.banding = settings.banding();
        this.lowestThreshold = settings.threshold();
    }

    /** Adds a stored row; adding a hash twice is a no-op. */
    public synchronized void add(String rowHash, int[] signature) {
        if (byHash.containsKey(rowHash.toLowerCase())) {
            return;
        }
        int id = hashes.size();
        hashes.add(rowHash.toLowerCase());
        signatures.add(signature.clone());
        byHash.put(rowHash.toLowerCase(), id);
        int[] bands = banding.hashes(signature);
        for (int b = 0; b < bands.length; b++) {
            buckets.computeIfAbsent(((long) b << 32) | (bands[b] & 0xFFFFFFFFL), k -> new ArrayList<>(1)).add(id);
        }
    }

    public synchronized int size() {
        return hashes.size();
    }

    @Override
    public synchronized List<NodeMatch> nearDuplicates(List<SignatureQuery> queries, double threshold) {
        if (threshold < lowestThreshold) {
            throw new IllegalArgumentException("this index answers thresholds from " + lowestThreshold + ", not " + threshold);
        }
        List<NodeMatch> out = new ArrayList<>();
        for (SignatureQuery q : queries) {
            Integer same = byHash.get(q.hash().toLowerCase());
            if (same != null) {
                out.add(new NodeMatch(q.row(), hashes.get(same), 1.0, true));
            }
            Set<Integer> seen = new HashSet<>();
            int[] bands = banding.hashes(q.signature());
            for (int b = 0; b < bands.length; b++) {
                for (int id : buckets.getOrDefault(((long) b << 32) | (bands[b] & 0xFFFFFFFFL), List.of())) {
                    if ((same != null && id == same) || !seen.add(id)) {
                        continue;
                    }
                    double e = MinHasher.estimate(q.signature(), signatures.get(id));
                    if (e >= threshold) {
                        out.add(new NodeMatch(q.row(), hashes.get(id), e, false));
                    }
                }
            }
        }
        return out;
    }
}

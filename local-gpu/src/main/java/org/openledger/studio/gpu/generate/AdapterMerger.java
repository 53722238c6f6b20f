package org.openledger.studio.gpu.generate;

import java.util.List;
import org.openledger.studio.gpu.lora.AdapterWeights;
import org.openledger.studio.gpu.lora.MergedAdapter;
import org.openledger.studio.gpu.model.LlamaWeights;

/**
 * Keeps at most one adapter merged into a copy of the base weights while it dominates the running batch's rows
 * (a {@link DominanceWindow} under a {@link Merging}), and drops the copy as soon as the adapter stops dominating,
 * was unloaded (evicted, deleted or replaced: its upload is closed), or a row brings a newer upload under the
 * same id. A merge happens only while a live row holds the adapter, so its factors are in memory while they are
 * read. Used by the batch's thread.
 */
final class AdapterMerger implements AutoCloseable {

    private final LlamaWeights base;
    private final Merging merging;
    private final DominanceWindow<AdapterWeights> window;
    /** Uploads a newer upload under the same id was seen beside: never merged again. */
    private final java.util.Set<AdapterWeights> superseded =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private MergedAdapter current;
    private long merges;
    private long unmerges;

    AdapterMerger(LlamaWeights base, Merging merging) {
        this.base = base;
        this.merging = merging;
        this.window = new DominanceWindow<>(merging);
    }

    /** Records a step's rows (one adapter or null per row) and merges or unmerges; true when the copy changed. */
    boolean update(List<AdapterWeights> rows) {
        if (!merging.enabled()) {
            return false;
        }
        window.record(rows);
        noteReplaced(rows);
        boolean changed = false;
        if (current != null && (current.source().isClosed() || superseded.contains(current.source()))) {
            drop();
            changed = true;
        }
        AdapterWeights have = current == null ? null : current.source();
        AdapterWeights want = window.decide(have);
        if (want != have) {
            if (current != null) {
                drop();
                changed = true;
            }
            if (want != null && !want.isClosed() && !superseded.contains(want) && rows.stream().anyMatch(a -> a == want)
                    && MergedAdapter.bytes(want, base.config()) <= merging.maxBytes()) {
                current = MergedAdapter.merge(want, base);
                merges++;
                changed = true;
            }
        }
        return changed;
    }

    /** Two uploads under one id among the rows: every one but the latest was replaced. */
    private void noteReplaced(List<AdapterWeights> rows) {
        superseded.removeIf(AdapterWeights::isClosed);
        java.util.Map<String, AdapterWeights> latest = new java.util.HashMap<>();
        for (AdapterWeights a : rows) {
            if (a != null) {
                AdapterWeights seen = latest.get(a.id());
                if (seen == null || a.serial() > seen.serial()) {
                    latest.put(a.id(), a);
                }
            }
        }
        for (AdapterWeights a : rows) {
            if (a != null && latest.get(a.id()) != a) {
                superseded.add(a);
            }
        }
    }

    private void drop() {
        current.close();
        current = null;
        unmerges++;
    }

    /** The merged copy now, or null. */
    MergedAdapter current() {
        return current;
    }

    long merges() {
        return merges;
    }

    long unmerges() {
        return unmerges;
    }

    @Override
    public void close() {
        if (current != null) {
            drop();
        }
    }
}

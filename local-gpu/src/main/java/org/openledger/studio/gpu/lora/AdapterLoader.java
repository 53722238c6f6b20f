package org.openledger.studio.gpu.lora;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.AdapterStore.Tier;

/**
 * {@link AdapterStore}'s loads: disk → host memory (unless the adapter is there already) → device, one adapter at a
 * time on the loader executor. What each step gives is handed to the {@link AdapterTiers}, which count it and place
 * it; an adapter larger than the device bound is refused before it takes any room.
 */
final class AdapterLoader {

    private final Path folder;
    private final BaseModel base;
    private final long deviceBound;
    private final AdapterTiers tiers;
    private final ExecutorService executor;

    AdapterLoader(Path folder, BaseModel base, long deviceBound, AdapterTiers tiers, ExecutorService executor) {
        this.folder = folder;
        this.base = base;
        this.deviceBound = deviceBound;
        this.tiers = tiers;
        this.executor = executor;
    }

    /** The slot's load: the one in flight, or a new one queued. Call holding the tiers' lock. */
    CompletableFuture<AdapterWeights> start(AdapterTiers.Slot s) {
        if (s.loading == null) {
            CompletableFuture<AdapterWeights> f = new CompletableFuture<>();
            s.loading = f;
            s.loadFrom = s.host != null ? Tier.HOST : Tier.DISK;
            executor.execute(() -> load(s, f));
        }
        return s.loading;
    }

    /** Stops the loader thread (a load in flight is interrupted). */
    void shutdown() {
        executor.shutdownNow();
    }

    /** On the loader thread. */
    private void load(AdapterTiers.Slot s, CompletableFuture<AdapterWeights> done) {
        Adapter adapter;
        synchronized (tiers) {
            adapter = s.host;
        }
        try {
            if (adapter == null) {
                long t0 = System.nanoTime();
                adapter = Adapter.load(folder.resolve(s.id));
                long took = System.nanoTime() - t0;
                long bytes = AdapterStore.deviceBytes(adapter);
                if (bytes > deviceBound) {
                    throw new AdapterTooLargeException("adapter '" + s.id + "' takes " + bytes + " bytes on the "
                            + "device, more than the " + deviceBound + " bytes the node gives adapters "
                            + "(--adapter-device-bytes)");
                }
                tiers.readFromDisk(s, adapter, bytes, took);
            }
            long t1 = System.nanoTime();
            AdapterWeights weights = AdapterWeights.uploadFlat(adapter, base);
            long took = System.nanoTime() - t1;
            tiers.uploaded(s, weights, AdapterStore.deviceBytes(adapter), took);
            done.complete(weights);
        } catch (IOException | RuntimeException e) {
            IOException cause = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            tiers.loadFailed(s, cause);
            done.completeExceptionally(cause);
        }
    }
}

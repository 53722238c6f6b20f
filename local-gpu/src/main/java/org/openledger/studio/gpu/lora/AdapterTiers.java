package org.openledger.studio.gpu.lora;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.openledger.studio.gpu.lora.AdapterStore.Limits;
import org.openledger.studio.gpu.lora.AdapterStore.Tier;
import org.openledger.studio.gpu.lora.AdapterStore.TierUsage;
import org.openledger.studio.gpu.lora.AdapterStore.Usage;

/**
 * The bookkeeping of {@link AdapterStore}'s tiers: one slot per adapter version, the host and device LRUs with the
 * bytes they hold against their bounds, who holds or waits for each adapter, the counters {@link #usage()} reports,
 * and the versions whose files were found broken. Eviction picks the least recently used slot that no load reads
 * (host) or no request holds (device).
 *
 * <p>Guarded by its own monitor: every method is synchronized, and a caller that must do several things at once
 * (find a slot, count the hit, start its load) holds {@code synchronized (tiers)} around them.
 */
final class AdapterTiers {

    /** One version of one adapter, in whichever tiers it is now. */
    static final class Slot {
        final String id;
        final String version;
        Adapter host;
        AdapterWeights device;
        long bytes;
        int holders;
        /** Requests waiting for the load in flight; they become holders when it completes. */
        int waiting;
        CompletableFuture<AdapterWeights> loading;
        Tier loadFrom;
        boolean retired;
        /** Its id's counters when it was made (an adapter forgotten meanwhile counts into none that is shown). */
        private final Counters counters;

        private Slot(String id, String version, Counters counters) {
            this.id = id;
            this.version = version;
            this.counters = counters;
        }
    }

    private static final class Counters {
        long deviceHits;
        long hostHits;
        long diskHits;
        long loads;
        long diskLoads;
        long lastDiskToHostNanos;
        long lastHostToDeviceNanos;
        long diskToHostNanos;
        long hostToDeviceNanos;
    }

    private record Broken(String version, IOException cause) {
    }

    private final Limits limits;
    private final Map<String, Slot> slots = new HashMap<>();
    /** Access-ordered: iteration starts at the least recently used. */
    private final LinkedHashMap<String, Slot> hostLru = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, Slot> deviceLru = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Counters> counters = new HashMap<>();
    private final Map<String, Broken> broken = new HashMap<>();
    private long hostBytes;
    private long deviceBytes;
    private boolean closed;

    AdapterTiers(Limits limits) {
        this.limits = limits;
    }

    /**
     * The slot a request for this version of the adapter uses, forgetting that an older version was broken.
     *
     * @throws IOException the store is closed, or this version's files were found broken (the same exception)
     */
    synchronized Slot slotFor(String id, String version) throws IOException {
        if (closed) {
            throw new IOException("the adapter store is closed");
        }
        Broken b = broken.get(id);
        if (b != null && b.version().equals(version)) {
            throw b.cause();
        }
        broken.remove(id);
        return current(id, version);
    }

    /** The slot a prefetch would load, or null when the store is closed or this version is known broken. */
    synchronized Slot slotToPrefetch(String id, String version) {
        Broken b = broken.get(id);
        if (closed || (b != null && b.version().equals(version))) {
            return null;
        }
        return current(id, version);
    }

    /**
     * Counts a request for the slot and makes it a holder (on the device now) or a waiter (a load is needed);
     * answers where the adapter was found. A load in flight (a prefetch) counts where it started from.
     */
    synchronized Tier claim(Slot s) {
        Counters c = s.counters;
        if (s.device != null) {
            c.deviceHits++;
            s.holders++;
            deviceLru.get(s.id);
            return Tier.DEVICE;
        }
        Tier found = s.loading != null ? s.loadFrom : s.host != null ? Tier.HOST : Tier.DISK;
        if (found == Tier.HOST) {
            c.hostHits++;
            hostLru.get(s.id);
        } else {
            c.diskHits++;
        }
        s.waiting++;
        return found;
    }

    /** A lease ends: the last holder of a retired slot frees it; releasing counts as use. */
    synchronized void release(Slot s) {
        s.holders--;
        if (s.retired) {
            freeIfUnused(s);
        } else if (s.device != null) {
            deviceLru.get(s.id);
        }
        evictDevice();
    }

    /** The loader read the adapter from disk in {@code nanos}: it joins the host tier unless it was retired meanwhile. */
    synchronized void readFromDisk(Slot s, Adapter adapter, long bytes, long nanos) {
        Counters c = s.counters;
        c.diskLoads++;
        c.lastDiskToHostNanos = nanos;
        c.diskToHostNanos += nanos;
        if (!s.retired) {
            s.host = adapter;
            s.bytes = bytes;
            hostLru.put(s.id, s);
            hostBytes += bytes;
            evictHost();
        }
    }

    /** The loader uploaded the adapter in {@code nanos}: its waiters become holders, and it joins the device tier. */
    synchronized void uploaded(Slot s, AdapterWeights weights, long bytes, long nanos) {
        Counters c = s.counters;
        c.lastHostToDeviceNanos = nanos;
        c.hostToDeviceNanos += nanos;
        c.loads++;
        s.device = weights;
        s.bytes = bytes;
        s.holders += s.waiting;
        s.waiting = 0;
        s.loading = null;
        if (!s.retired) {
            deviceLru.put(s.id, s);
            deviceBytes += s.bytes;
            evictDevice();
        } else {
            freeIfUnused(s);
        }
    }

    /** The load failed: its waiters are let go, and the version is remembered as broken (unless interrupted). */
    synchronized void loadFailed(Slot s, IOException cause) {
        s.waiting = 0;
        s.loading = null;
        if (!s.retired && !(cause instanceof InterruptedIOException)) {
            broken.put(s.id, new Broken(s.version, cause));
        }
        if (s.host == null && s.device == null && slots.get(s.id) == s) {
            slots.remove(s.id);
        }
    }

    synchronized boolean inUse(String id) {
        Slot s = slots.get(id);
        return s != null && (s.holders > 0 || s.waiting > 0);
    }

    /** Drops an adapter from every tier (replaced or deleted); holders keep its weights until they are done. */
    synchronized void unload(String id) {
        broken.remove(id);
        Slot s = slots.remove(id);
        if (s != null) {
            retire(s);
        }
    }

    /** As {@link #unload}, and forgets its counters. */
    synchronized void forget(String id) {
        unload(id);
        counters.remove(id);
    }

    synchronized List<String> idsOnDevice() {
        return List.copyOf(deviceLru.keySet());
    }

    synchronized List<String> idsInHost() {
        return List.copyOf(hostLru.keySet());
    }

    synchronized List<Usage> usage() {
        List<Usage> out = new ArrayList<>();
        for (Map.Entry<String, Counters> e : counters.entrySet()) {
            Slot s = slots.get(e.getKey());
            Counters c = e.getValue();
            Tier tier = s == null ? Tier.DISK : s.device != null ? Tier.DEVICE : s.host != null ? Tier.HOST : Tier.DISK;
            out.add(new Usage(e.getKey(), s == null ? null : s.version, tier, s == null ? 0 : s.bytes,
                    s == null ? 0 : s.holders + s.waiting, c.deviceHits, c.hostHits, c.diskHits, c.loads, c.diskLoads,
                    c.lastDiskToHostNanos / 1e6, c.lastHostToDeviceNanos / 1e6, c.diskToHostNanos / 1e9,
                    c.hostToDeviceNanos / 1e9));
        }
        out.sort(Comparator.comparing(Usage::id));
        return out;
    }

    synchronized List<TierUsage> tiers() {
        return List.of(new TierUsage(Tier.DEVICE, deviceLru.size(), deviceBytes, limits.deviceBytes()),
                new TierUsage(Tier.HOST, hostLru.size(), hostBytes, limits.hostBytes()));
    }

    /** No new slot from now on. */
    synchronized void close() {
        closed = true;
    }

    /** Frees every device weight and empties the tiers (after {@link #close} and the loader's shutdown). */
    synchronized void clear() {
        for (Slot s : slots.values()) {
            if (s.device != null) {
                s.device.close();
                s.device = null;
            }
        }
        slots.clear();
        hostLru.clear();
        deviceLru.clear();
        hostBytes = 0;
        deviceBytes = 0;
    }

    /** The slot of this version of the adapter; an older version's slot is retired. */
    private Slot current(String id, String version) {
        Slot s = slots.get(id);
        if (s != null && !s.version.equals(version)) {
            slots.remove(id);
            retire(s);
            s = null;
        }
        if (s == null) {
            s = new Slot(id, version, counters.computeIfAbsent(id, k -> new Counters()));
            slots.put(id, s);
        }
        return s;
    }

    /** Takes a slot out of every tier; its device weights are freed now or by the last holder. */
    private void retire(Slot s) {
        s.retired = true;
        if (hostLru.remove(s.id, s)) {
            hostBytes -= s.bytes;
        }
        s.host = null;
        if (deviceLru.remove(s.id, s)) {
            deviceBytes -= s.bytes;
        }
        freeIfUnused(s);
    }

    private void freeIfUnused(Slot s) {
        if (s.holders <= 0 && s.waiting <= 0 && s.device != null) {
            s.device.close();
            s.device = null;
        }
    }

    private void evictHost() {
        var it = hostLru.values().iterator();
        while (hostBytes > limits.hostBytes() && it.hasNext()) {
            Slot s = it.next();
            if (s.loading == null) { // a load in flight still reads it
                it.remove();
                hostBytes -= s.bytes;
                s.host = null;
                dropIfEmpty(s);
            }
        }
    }

    private void evictDevice() {
        var it = deviceLru.values().iterator();
        while ((deviceBytes > limits.deviceBytes() || deviceLru.size() > limits.maxOnDevice()) && it.hasNext()) {
            Slot s = it.next();
            if (s.holders == 0 && s.waiting == 0) {
                it.remove();
                deviceBytes -= s.bytes;
                s.device.close();
                s.device = null;
                dropIfEmpty(s);
            }
        }
    }

    private void dropIfEmpty(Slot s) {
        if (s.host == null && s.device == null && s.loading == null && slots.get(s.id) == s) {
            slots.remove(s.id);
        }
    }
}

package org.openledger.studio.gpu.lora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openledger.studio.gpu.BaseModel;

/**
 * The adapters of one base model in three tiers (S-LoRA's, with a disk tier below): every adapter as a folder
 * {@code <folder>/<adapter-id>/} on disk; an LRU of adapters read into host memory (their tensors read through a
 * memory map of the safetensors file), bounded in bytes; and slots on the device, bounded in bytes (and, for the
 * old option, in count), from which the least recently used adapter that no request holds is evicted first.
 *
 * <p>Loading is asynchronous: {@link #acquire} answers at once for an adapter on the device and otherwise hands the
 * disk → host → device work to one loader thread, so a request for a cold adapter waits only for its own adapter
 * while requests for warm ones go on. A request holds its adapter through a {@link Lease}, so eviction never frees
 * weights a running generation uses. Every tier is keyed by the adapter's version (the {@link Versions} given:
 * the daemon's registry passes the files' SHA-256), so an adapter replaced under the same id is read again and its
 * old weights are never handed to a new request.
 */
public final class AdapterStore implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Where an adapter was found when a request asked for it. */
    public enum Tier {
        DEVICE, HOST, DISK;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The tiers' bounds: bytes of adapter tensors in host memory and on the device (float32 there), and at most
     * {@code maxOnDevice} adapters on the device.
     */
    public record Limits(long hostBytes, long deviceBytes, int maxOnDevice) {
        public static final long DEFAULT_HOST_BYTES = 4L << 30;
        public static final long DEFAULT_DEVICE_BYTES = 1L << 30;

        public Limits {
            if (hostBytes < 1 || deviceBytes < 1 || maxOnDevice < 1) {
                throw new IllegalArgumentException("adapter tier bounds must be positive: host " + hostBytes
                        + " bytes, device " + deviceBytes + " bytes, " + maxOnDevice + " adapters");
            }
        }

        /** Bounds in bytes only. */
        public static Limits ofBytes(long hostBytes, long deviceBytes) {
            return new Limits(hostBytes, deviceBytes, Integer.MAX_VALUE);
        }

        /** The old bound by count, with the default byte bounds. */
        public static Limits ofCount(int maxOnDevice) {
            return new Limits(DEFAULT_HOST_BYTES, DEFAULT_DEVICE_BYTES, maxOnDevice);
        }
    }

    /** The version of an adapter's files now, or null when there is no such adapter. */
    public interface Versions {
        String of(String id) throws IOException;
    }

    /** Counters and state of one adapter, as {@link #usage()} reports them. */
    public record Usage(String id, String version, Tier tier, long bytes, int holders, long deviceHits,
                        long hostHits, long diskHits, long loads, long diskLoads, double lastDiskToHostMs,
                        double lastHostToDeviceMs,
                        double diskToHostSeconds, double hostToDeviceSeconds) {
    }

    /** Totals of one tier: adapters held, their bytes, the bound. */
    public record TierUsage(Tier tier, int adapters, long bytes, long boundBytes) {
    }

    private static final class Slot {
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

        Slot(String id, String version) {
            this.id = id;
            this.version = version;
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

    private final Path folder;
    private final BaseModel base;
    private final Limits limits;
    private final Versions versions;
    private final ExecutorService loader;
    private final Map<String, Slot> slots = new HashMap<>();
    /** Access-ordered: iteration starts at the least recently used. */
    private final LinkedHashMap<String, Slot> hostLru = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, Slot> deviceLru = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Counters> counters = new HashMap<>();
    private final Map<String, Broken> broken = new HashMap<>();
    private long hostBytes;
    private long deviceBytes;
    private boolean closed;

    /** An adapter held for the length of a request. */
    public final class Lease implements AutoCloseable {
        private final Slot slot;
        private final Tier foundIn;
        private boolean released;

        private Lease(Slot slot, Tier foundIn) {
            this.slot = slot;
            this.foundIn = foundIn;
        }

        public AdapterWeights weights() {
            return slot.device;
        }

        public String id() {
            return slot.id;
        }

        /** The version of the files these weights were read from. */
        public String version() {
            return slot.version;
        }

        /** Where the adapter was when this lease was asked for. */
        public Tier foundIn() {
            return foundIn;
        }

        @Override
        public void close() {
            synchronized (AdapterStore.this) {
                if (released) {
                    return;
                }
                released = true;
                slot.holders--;
                if (slot.retired) {
                    freeIfUnused(slot); // removed or replaced while held: the last holder frees it
                } else if (slot.device != null) {
                    deviceLru.get(slot.id); // releasing counts as use
                }
                evictDevice();
            }
        }
    }

    /** The old store: at most {@code maxOnDevice} adapters on the device, default byte bounds, files' stamps as versions. */
    public AdapterStore(Path folder, BaseModel base, int maxOnDevice) {
        this(folder, base, Limits.ofCount(maxOnDevice), fileStamps(folder));
    }

    public AdapterStore(Path folder, BaseModel base, Limits limits, Versions versions) {
        this(folder, base, limits, versions, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "adapter-loader");
            t.setDaemon(true);
            return t;
        }));
    }

    /** @param loader runs the loads (one thread: the device takes one upload at a time); shut down on close */
    public AdapterStore(Path folder, BaseModel base, Limits limits, Versions versions, ExecutorService loader) {
        this.folder = folder;
        this.base = base;
        this.limits = limits;
        this.versions = versions;
        this.loader = loader;
    }

    /**
     * Versions from the files themselves: sizes and modification times of the config and the weights (enough for
     * a folder replaced by hand; the daemon's registry gives SHA-256 instead).
     */
    public static Versions fileStamps(Path folder) {
        return id -> {
            Path dir = folder.resolve(id);
            Path config = dir.resolve(AdapterConfig.FILE);
            if (!Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            Path weights = dir.resolve(Adapter.WEIGHTS_FILE);
            String w = Files.isRegularFile(weights) ? Files.size(weights) + "@"
                    + Files.getLastModifiedTime(weights).toMillis() : "none";
            return Files.size(config) + "@" + Files.getLastModifiedTime(config).toMillis() + "/" + w
                    + "/" + Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        };
    }

    public Limits limits() {
        return limits;
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches() && !id.contains("..");
    }

    /** Ids of the adapter folders present now, sorted. */
    public List<String> ids() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> Files.isRegularFile(p.resolve(AdapterConfig.FILE)))
                    .map(p -> p.getFileName().toString()).filter(AdapterStore::isValidId).sorted()
                    .forEach(ids::add);
        }
        return ids;
    }

    /** Ids currently on the device, least recently used first. */
    public synchronized List<String> idsOnDevice() {
        return List.copyOf(deviceLru.keySet());
    }

    /** Ids currently in host memory, least recently used first. */
    public synchronized List<String> idsInHost() {
        return List.copyOf(hostLru.keySet());
    }

    /**
     * Holds an adapter for a request. On the device already: a completed future. Otherwise the loader thread reads
     * it (from host memory, or from disk into host memory) and uploads it; the future completes with the lease
     * then, or fails with {@link UnknownAdapterException} (no such adapter) or an {@link IOException} (its files are
     * broken or made for another base model, or it is larger than the device bound). A broken adapter fails at
     * once on later calls until its files change.
     */
    public CompletableFuture<Lease> acquire(String id) {
        String version;
        try {
            version = versionOf(id);
        } catch (UnknownAdapterException | IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IOException("the adapter store is closed"));
            }
            Broken b = broken.get(id);
            if (b != null && b.version().equals(version)) {
                return CompletableFuture.failedFuture(b.cause());
            }
            broken.remove(id);
            Slot s = current(id, version);
            Counters c = counters.computeIfAbsent(id, k -> new Counters());
            if (s.device != null) {
                c.deviceHits++;
                s.holders++;
                deviceLru.get(id);
                return CompletableFuture.completedFuture(new Lease(s, Tier.DEVICE));
            }
            // a load in flight (a prefetch) counts where it started from
            Tier found = s.loading != null ? s.loadFrom : s.host != null ? Tier.HOST : Tier.DISK;
            if (found == Tier.HOST) {
                c.hostHits++;
                hostLru.get(id);
            } else {
                c.diskHits++;
            }
            s.waiting++;
            CompletableFuture<AdapterWeights> load = startLoad(s);
            return load.thenApply(w -> new Lease(s, found));
        }
    }

    /** Starts loading an adapter that queued requests name, so that it is on the device when they run. */
    public void prefetch(String id) {
        String version;
        try {
            version = versionOf(id);
        } catch (UnknownAdapterException | IOException e) {
            return; // the request itself will report it
        }
        synchronized (this) {
            Broken b = broken.get(id);
            if (closed || (b != null && b.version().equals(version))) {
                return;
            }
            Slot s = current(id, version);
            if (s.device == null) {
                startLoad(s);
            }
        }
    }

    /** As {@link #acquire}, waiting for it (for callers with nothing else to do meanwhile). */
    public Lease lease(String id) throws UnknownAdapterException, IOException {
        CompletableFuture<Lease> f = acquire(id);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.thenAccept(Lease::close); // whenever it comes, nobody holds it
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while loading adapter '" + id + "'");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** The cause of a failed {@link #acquire}, as the exception {@link #lease} throws. */
    public static IOException unwrap(Throwable cause) throws UnknownAdapterException {
        while (cause instanceof CompletionException || cause instanceof ExecutionException) {
            cause = cause.getCause();
        }
        if (cause instanceof UnknownAdapterException u) {
            throw u;
        }
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        return new IOException(String.valueOf(cause), cause);
    }

    /** Whether a request holds the adapter or waits for it. */
    public synchronized boolean inUse(String id) {
        Slot s = slots.get(id);
        return s != null && (s.holders > 0 || s.waiting > 0);
    }

    /**
     * Drops an adapter from host memory and the device (it was replaced or deleted); a request holding it keeps
     * its weights until done, and the next request reads the files again.
     */
    public synchronized void unload(String id) {
        broken.remove(id);
        Slot s = slots.remove(id);
        if (s != null) {
            retire(s);
        }
    }

    /** Drops an adapter and forgets its counters (it was deleted). */
    public synchronized void forget(String id) {
        unload(id);
        counters.remove(id);
    }

    /** Every adapter that has been asked for or is in a tier, with its counters. */
    public synchronized List<Usage> usage() {
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
        out.sort(java.util.Comparator.comparing(Usage::id));
        return out;
    }

    /** Bytes and adapters in host memory and on the device, with their bounds. */
    public synchronized List<TierUsage> tiers() {
        return List.of(new TierUsage(Tier.DEVICE, deviceLru.size(), deviceBytes, limits.deviceBytes()),
                new TierUsage(Tier.HOST, hostLru.size(), hostBytes, limits.hostBytes()));
    }

    /** The device bytes (float32 factors) an adapter takes: what the device bound is held against. */
    public static long deviceBytes(Adapter adapter) {
        long n = 0;
        for (Adapter.Factors f : adapter.factors().values()) {
            n += f.a().values().length + (long) f.b().values().length;
        }
        return 4 * n;
    }

    private String versionOf(String id) throws UnknownAdapterException, IOException {
        String version = isValidId(id) ? versions.of(id) : null;
        if (version == null) {
            throw new UnknownAdapterException(id, "there is no adapter '" + id + "' for model '" + base.id() + "'");
        }
        return version;
    }

    /** The slot of this version of the adapter; an older version's slot is retired. Under the lock. */
    private Slot current(String id, String version) {
        Slot s = slots.get(id);
        if (s != null && !s.version.equals(version)) {
            slots.remove(id);
            retire(s);
            s = null;
        }
        if (s == null) {
            s = new Slot(id, version);
            slots.put(id, s);
        }
        return s;
    }

    /** Under the lock. */
    private CompletableFuture<AdapterWeights> startLoad(Slot s) {
        if (s.loading == null) {
            CompletableFuture<AdapterWeights> f = new CompletableFuture<>();
            s.loading = f;
            s.loadFrom = s.host != null ? Tier.HOST : Tier.DISK;
            loader.execute(() -> load(s, f));
        }
        return s.loading;
    }

    /** On the loader thread: disk → host (unless there already), host → device. */
    private void load(Slot s, CompletableFuture<AdapterWeights> done) {
        Counters c;
        Adapter adapter;
        synchronized (this) {
            c = counters.computeIfAbsent(s.id, k -> new Counters());
            adapter = s.host;
        }
        try {
            if (adapter == null) {
                long t0 = System.nanoTime();
                adapter = Adapter.load(folder.resolve(s.id));
                long took = System.nanoTime() - t0;
                long bytes = deviceBytes(adapter);
                if (bytes > limits.deviceBytes()) {
                    throw new AdapterTooLargeException("adapter '" + s.id + "' takes " + bytes + " bytes on the "
                            + "device, more than the " + limits.deviceBytes() + " bytes the node gives adapters "
                            + "(--adapter-device-bytes)");
                }
                synchronized (this) {
                    c.diskLoads++;
                    c.lastDiskToHostNanos = took;
                    c.diskToHostNanos += took;
                    if (!s.retired) {
                        s.host = adapter;
                        s.bytes = bytes;
                        hostLru.put(s.id, s);
                        hostBytes += bytes;
                        evictHost();
                    }
                }
            }
            long t1 = System.nanoTime();
            AdapterWeights weights = AdapterWeights.uploadFlat(adapter, base);
            long took = System.nanoTime() - t1;
            synchronized (this) {
                c.lastHostToDeviceNanos = took;
                c.hostToDeviceNanos += took;
                c.loads++;
                s.device = weights;
                s.bytes = deviceBytes(adapter);
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
            done.complete(weights);
        } catch (IOException | RuntimeException e) {
            IOException cause = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            synchronized (this) {
                s.waiting = 0;
                s.loading = null;
                if (!s.retired && !(e instanceof java.io.InterruptedIOException)) {
                    broken.put(s.id, new Broken(s.version, cause));
                }
                if (s.host == null && s.device == null && slots.get(s.id) == s) {
                    slots.remove(s.id);
                }
            }
            done.completeExceptionally(cause);
        }
    }

    /** Takes a slot out of every tier; its device weights are freed now or by the last holder. Under the lock. */
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

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        loader.shutdownNow();
        synchronized (this) {
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
    }
}

package org.openledger.studio.gpu.lora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *
 * <p>This class is the store's face (ids, versions, leases); {@link AdapterTiers} keeps the tiers' bookkeeping and
 * evicts, {@link AdapterLoader} does the loads.
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

    private final Path folder;
    private final BaseModel base;
    private final Limits limits;
    private final Versions versions;
    private final AdapterTiers tiers;
    private final AdapterLoader loader;

    /** An adapter held for the length of a request. */
    public final class Lease implements AutoCloseable {
        private final AdapterTiers.Slot slot;
        private final Tier foundIn;
        private boolean released;

        private Lease(AdapterTiers.Slot slot, Tier foundIn) {
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
            synchronized (tiers) {
                if (released) {
                    return;
                }
                released = true;
                tiers.release(slot);
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
        this.tiers = new AdapterTiers(limits);
        this.loader = new AdapterLoader(folder, base, limits.deviceBytes(), tiers, loader);
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
    public List<String> idsOnDevice() {
        return tiers.idsOnDevice();
    }

    /** Ids currently in host memory, least recently used first. */
    public List<String> idsInHost() {
        return tiers.idsInHost();
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
        synchronized (tiers) {
            AdapterTiers.Slot s;
            try {
                s = tiers.slotFor(id, version);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
            Tier found = tiers.claim(s);
            if (found == Tier.DEVICE) {
                return CompletableFuture.completedFuture(new Lease(s, Tier.DEVICE));
            }
            return loader.start(s).thenApply(w -> new Lease(s, found));
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
        synchronized (tiers) {
            AdapterTiers.Slot s = tiers.slotToPrefetch(id, version);
            if (s != null && s.device == null) {
                loader.start(s);
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
    public boolean inUse(String id) {
        return tiers.inUse(id);
    }

    /**
     * Drops an adapter from host memory and the device (it was replaced or deleted); a request holding it keeps
     * its weights until done, and the next request reads the files again.
     */
    public void unload(String id) {
        tiers.unload(id);
    }

    /** Drops an adapter and forgets its counters (it was deleted). */
    public void forget(String id) {
        tiers.forget(id);
    }

    /** Every adapter that has been asked for or is in a tier, with its counters. */
    public List<Usage> usage() {
        return tiers.usage();
    }

    /** Bytes and adapters in host memory and on the device, with their bounds. */
    public List<TierUsage> tiers() {
        return tiers.tiers();
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

    @Override
    public void close() {
        tiers.close();
        loader.shutdown();
        tiers.clear();
    }
}

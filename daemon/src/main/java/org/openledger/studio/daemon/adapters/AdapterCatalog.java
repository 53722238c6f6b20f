package org.openledger.studio.daemon.adapters;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openledger.studio.api.adapters.AdapterInfo;
import org.openledger.studio.api.adapters.AdapterList;
import org.openledger.studio.api.adapters.AdapterRegistration;
import org.openledger.studio.daemon.adapters.AdapterTransferException.Kind;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.lora.AdapterStore;
import org.openledger.studio.gpu.lora.UnknownAdapterException;
import org.openledger.studio.gpu.model.InvalidModelException;

/**
 * The node's adapters as one thing: the registry (disk tier, {@code adapters.db}) and the store (host and device
 * tiers), with registration, deletion and the counters {@code GET /v1/adapters} and {@code /metrics} report.
 */
public final class AdapterCatalog implements AutoCloseable {

    private final Path folder;
    private final BaseModel base;
    private final AdapterRegistry registry;
    private final AdapterStore store;
    /** Ids being deleted: asked for meanwhile, they are unknown. */
    private final Set<String> deleting = new HashSet<>();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong moves = new AtomicLong();

    public AdapterCatalog(Path folder, BaseModel base, Path registryFile, AdapterStore.Limits limits) {
        this.folder = folder;
        this.base = base;
        this.registry = AdapterRegistry.open(registryFile, folder, base.id());
        this.store = new AdapterStore(folder, base, limits, id -> {
            AdapterRegistry.Entry e = registry.get(id);
            return e == null ? null : e.version();
        });
    }

    public Path folder() {
        return folder;
    }

    public AdapterStore.Limits limits() {
        return store.limits();
    }

    /**
     * Holds an adapter for a request, loading it on the loader thread when it is not on the device (the caller
     * waits for its own adapter only). A failure to load marks it broken in the registry.
     */
    public CompletableFuture<AdapterStore.Lease> acquire(String id) {
        AdapterRegistry.Entry e;
        try {
            e = AdapterStore.isValidId(id) ? registry.refresh(id) : null;
        } catch (IOException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        CompletableFuture<AdapterStore.Lease> lease;
        synchronized (this) {
            if (e == null || deleting.contains(id)) {
                return CompletableFuture.failedFuture(new UnknownAdapterException(id, "there is no adapter '" + id
                        + "' for model '" + base.id() + "'"));
            }
            if (e.brokenReason() != null) {
                return CompletableFuture.failedFuture(new InvalidModelException("the adapter '" + id
                        + "' is broken: " + e.brokenReason()));
            }
            lease = store.acquire(id);
        }
        String version = e.version();
        return lease.whenComplete((l, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause()
                        : failure;
                if (cause instanceof IOException && !(cause instanceof java.io.InterruptedIOException)) {
                    registry.markBroken(id, version, String.valueOf(cause.getMessage())
                            .replace(folder.resolve(id).toString(), id));
                }
            }
        });
    }

    /** Starts loading an adapter a queued request names. */
    public void prefetch(String id) {
        if (AdapterStore.isValidId(id) && registry.get(id) != null && registry.get(id).brokenReason() == null) {
            store.prefetch(id);
        }
    }

    /** Counts a request served on an adapter and the tokens it generated. */
    public void served(String id, long generated) {
        tokens.addAndGet(generated);
        registry.used(id, Instant.now(), 1, generated);
    }

    /** Completion tokens generated on adapters since the node started. */
    public long tokens() {
        return tokens.get();
    }

    /**
     * Ids of every registered adapter, in step with the folder (broken ones too, as {@code /v1/models} always listed
     * the folder: their requests get the reason, and {@code GET /v1/adapters} shows it).
     */
    public List<String> servedIds() throws IOException {
        registry.scan();
        List<String> out = new ArrayList<>();
        for (AdapterRegistry.Entry e : registry.list()) {
            out.add(e.id());
        }
        return out;
    }

    /** A pushed adapter was renamed into place (or its files replaced): registered, stale weights dropped. */
    public void committed(String id) {
        try {
            registry.refresh(id);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the adapter '" + id + "' just committed: " + e.getMessage(), e);
        }
        store.unload(id);
    }

    /** {@code GET /v1/adapters}: every adapter, or those of one tier. */
    public AdapterList list(String tier) throws IOException, AdapterTransferException {
        if (tier != null && !List.of("device", "host", "disk").contains(tier)) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "tier", "tier must be device, host or disk, not '"
                    + tier + "'");
        }
        registry.scan();
        Map<String, AdapterStore.Usage> usage = new HashMap<>();
        for (AdapterStore.Usage u : store.usage()) {
            usage.put(u.id(), u);
        }
        List<AdapterInfo> data = new ArrayList<>();
        int inFlight = 0;
        for (AdapterRegistry.Entry e : registry.list()) {
            AdapterStore.Usage u = usage.get(e.id());
            boolean current = u != null && e.version().equals(u.version());
            String t = current ? u.tier().label() : "disk";
            inFlight += u == null ? 0 : u.holders();
            if (tier == null || tier.equals(t)) {
                data.add(info(e, u, t));
            }
        }
        List<AdapterList.Tier> tiers = new ArrayList<>();
        for (AdapterStore.TierUsage t : store.tiers()) {
            tiers.add(new AdapterList.Tier(t.tier().label(), t.adapters(), t.bytes(), t.boundBytes()));
        }
        long diskBytes = 0;
        for (AdapterRegistry.Entry e : registry.list()) {
            diskBytes += e.bytes();
        }
        tiers.add(new AdapterList.Tier("disk", registry.list().size(), diskBytes, null));
        return new AdapterList("list", tier, tiers, inFlight, tokens.get(), data);
    }

    /** One adapter as {@code GET /v1/adapters} shows it. */
    public AdapterInfo info(String id) throws AdapterTransferException {
        AdapterRegistry.Entry e = registry.get(id);
        if (e == null) {
            throw notFound(id);
        }
        AdapterStore.Usage u = store.usage().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
        return info(e, u, u != null && e.version().equals(u.version()) ? u.tier().label() : "disk");
    }

    private static AdapterInfo info(AdapterRegistry.Entry e, AdapterStore.Usage u, String tier) {
        Double mean = u == null || u.loads() == 0 ? null
                : (u.diskToHostSeconds() + u.hostToDeviceSeconds()) * 1000 / u.loads();
        return new AdapterInfo(e.id(), e.baseModel(), e.rank(), e.targets(), e.bytes(), e.deviceBytes(), e.sha256(),
                e.created().toString(), e.lastUsed() == null ? null : e.lastUsed().toString(), e.brokenReason(), tier,
                u == null ? 0 : u.holders(), e.requests(), e.tokens(), u == null ? 0 : u.deviceHits(),
                u == null ? 0 : u.hostHits(), u == null ? 0 : u.diskHits(), u == null ? 0 : u.loads(),
                u == null || u.loads() == 0 ? null : u.lastDiskToHostMs(),
                u == null || u.loads() == 0 ? null : u.lastHostToDeviceMs(), mean);
    }

    /**
     * {@code POST /v1/adapters}: a PEFT folder on the node checked (it loads, fits the base model, fits the device
     * bound), copied or moved into the adapter folder under a hidden name, then renamed into place.
     */
    public AdapterInfo register(AdapterRegistration r) throws AdapterTransferException, IOException {
        if (r == null || r.path() == null || r.path().isBlank()) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "path", "path must name the adapter folder on the node");
        }
        Path source;
        try {
            source = Path.of(r.path());
        } catch (java.nio.file.InvalidPathException e) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "path", "'" + r.path() + "' is not a path");
        }
        if (!source.isAbsolute()) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "path", "path must be absolute on the node, not '"
                    + r.path() + "'");
        }
        source = source.normalize();
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(source.resolve(AdapterConfig.FILE), LinkOption.NOFOLLOW_LINKS)) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "path", "'" + source + "' is not a PEFT adapter folder"
                    + " on the node (it needs " + AdapterConfig.FILE + " and " + Adapter.WEIGHTS_FILE + ")");
        }
        if (source.startsWith(folder.toAbsolutePath().normalize())) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "path", "'" + source + "' is inside the node's adapter"
                    + " folder already");
        }
        String id = r.id() != null ? r.id() : source.getFileName().toString();
        if (!AdapterTransfers.isValidId(id)) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "id", "'" + id + "' is not an adapter id: use letters,"
                    + " digits, '.', '_' and '-', starting with a letter or digit (at most 128)");
        }
        boolean replace = Boolean.TRUE.equals(r.replace());
        if (id.equalsIgnoreCase(base.id())) {
            throw new AdapterTransferException(Kind.CONFLICT, "id", "'" + id + "' is the base model's id");
        }
        if (!replace && Files.exists(folder.resolve(id), LinkOption.NOFOLLOW_LINKS)) {
            throw new AdapterTransferException(Kind.CONFLICT, "id", "An adapter '" + id + "' is served on this node"
                    + " already; give another id, or replace: true");
        }
        long deviceBytes;
        try {
            Adapter adapter = Adapter.load(source);
            adapter.checkFits(base.id(), base.config());
            deviceBytes = AdapterStore.deviceBytes(adapter);
        } catch (IOException | RuntimeException e) {
            throw new AdapterTransferException(Kind.REFUSED, "path", "The adapter at '" + source + "' cannot be"
                    + " served on '" + base.id() + "': " + e.getMessage());
        }
        if (deviceBytes > store.limits().deviceBytes()) {
            throw new AdapterTransferException(Kind.OVER_BUDGET, "path", "The adapter at '" + source + "' takes "
                    + deviceBytes + " bytes on the device, more than the " + store.limits().deviceBytes()
                    + " bytes this node gives adapters (--adapter-device-bytes)");
        }
        Files.createDirectories(folder);
        Path staging = folder.resolve("." + id + ".registering-" + moves.incrementAndGet());
        try {
            if (Boolean.TRUE.equals(r.move())) {
                moveOrCopy(source, staging);
            } else {
                copyFiles(source, staging);
            }
            synchronized (this) {
                Path target = folder.resolve(id);
                Path old = null;
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    if (!replace) {
                        throw new AdapterTransferException(Kind.CONFLICT, "id", "An adapter '" + id + "' is served"
                                + " on this node already");
                    }
                    old = folder.resolve("." + id + ".replaced-" + moves.incrementAndGet());
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                }
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                registry.refresh(id);
                store.unload(id); // requests holding the old weights finish on them; new ones read the new files
                if (old != null) {
                    deleteTree(old);
                }
            }
        } finally {
            deleteTree(staging);
        }
        return info(id);
    }

    /**
     * {@code DELETE /v1/adapters/{id}}: refused while a request holds or waits for the adapter; otherwise removed
     * from every tier, the registry and the disk, and never served again.
     */
    public void delete(String id) throws AdapterTransferException, IOException {
        if (!AdapterTransfers.isValidId(id)) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "id", "'" + id + "' is not an adapter id");
        }
        Path gone = folder.resolve("." + id + ".deleting-" + moves.incrementAndGet());
        synchronized (this) {
            if (registry.refresh(id) == null) {
                throw notFound(id);
            }
            if (store.inUse(id)) {
                throw new AdapterTransferException(Kind.IN_USE, "id", "The adapter '" + id + "' is in use by a"
                        + " running request; delete it when the request is done");
            }
            deleting.add(id);
        }
        try {
            Files.move(folder.resolve(id), gone, StandardCopyOption.ATOMIC_MOVE);
            registry.delete(id);
            store.forget(id);
            deleteTree(gone);
        } finally {
            synchronized (this) {
                deleting.remove(id);
            }
        }
    }

    /** Prometheus text: per-adapter requests, tokens, loads, hits and misses per tier; tier gauges. */
    public String metrics() {
        return AdapterMetrics.scrape(registry.list(), store.usage(), store.tiers());
    }

    private AdapterTransferException notFound(String id) {
        return new AdapterTransferException(Kind.NOT_FOUND, "id", "There is no adapter '" + id + "' on this node"
                + " (GET /v1/adapters lists them)");
    }

    private static void moveOrCopy(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) { // another file system: copy, then remove the original
            copyFiles(source, target);
            deleteTree(source);
        }
    }

    /** The plain files at the top of the folder (no links, no sub-folders, no hidden names). */
    private static void copyFiles(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(source)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (AdapterTransfers.isValidName(name) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(p, target.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = new ArrayList<>(s.toList());
        }
        paths.sort(Comparator.reverseOrder());
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }

    @Override
    public void close() {
        store.close();
        registry.close();
    }
}

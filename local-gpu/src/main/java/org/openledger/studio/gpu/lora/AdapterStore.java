package org.openledger.studio.gpu.lora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openledger.studio.gpu.BaseModel;

/**
 * The adapters of one base model, found as {@code <folder>/<adapter-id>/} and uploaded to the device on first
 * use. At most {@code maxOnDevice} stay uploaded; the least recently used adapter that no request holds is
 * evicted first (S-LoRA's host/device tiers, with the folder as the host tier). A request holds an adapter
 * through a {@link Lease} so that eviction never frees weights a running generation is using.
 * New folders are picked up without a restart: the folder is read again on every {@link #ids()} and lease.
 */
public final class AdapterStore implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path folder;
    private final BaseModel base;
    private final int maxOnDevice;
    /** Access-ordered: iteration starts at the least recently used. */
    private final Map<String, Entry> onDevice = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Entry {
        final AdapterWeights weights;
        int holders;

        Entry(AdapterWeights weights) {
            this.weights = weights;
        }
    }

    /** An adapter held for the length of a request. */
    public final class Lease implements AutoCloseable {
        private final String id;
        private final AdapterWeights weights;
        private boolean closed;

        private Lease(String id, AdapterWeights weights) {
            this.id = id;
            this.weights = weights;
        }

        public AdapterWeights weights() {
            return weights;
        }

        @Override
        public void close() {
            synchronized (AdapterStore.this) {
                if (!closed) {
                    closed = true;
                    Entry e = onDevice.get(id);
                    if (e != null && e.weights == weights) {
                        e.holders--;
                    } else {
                        weights.close(); // unloaded while held: the last holder frees it
                    }
                    evict();
                }
            }
        }
    }

    public AdapterStore(Path folder, BaseModel base, int maxOnDevice) {
        if (maxOnDevice < 1) {
            throw new IllegalArgumentException("maxOnDevice must be at least 1");
        }
        this.folder = folder;
        this.base = base;
        this.maxOnDevice = maxOnDevice;
    }

    /** Ids of the adapter folders present now, sorted. */
    public List<String> ids() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> Files.isRegularFile(p.resolve(AdapterConfig.FILE)))
                    .map(p -> p.getFileName().toString()).filter(n -> ID.matcher(n).matches()).sorted()
                    .forEach(ids::add);
        }
        return ids;
    }

    /** Ids currently uploaded, least recently used first. */
    public synchronized List<String> idsOnDevice() {
        return List.copyOf(onDevice.keySet());
    }

    /**
     * Holds an adapter for a request, loading and uploading it if needed.
     *
     * @throws UnknownAdapterException  no such adapter folder
     * @throws AdapterMismatchException the adapter was made for another base model
     * @throws IOException              the adapter files are broken (InvalidModelException, SafetensorsException)
     */
    public synchronized Lease lease(String id) throws UnknownAdapterException, IOException {
        Entry e = onDevice.get(id);
        if (e == null) {
            if (id == null || !ID.matcher(id).matches() || !Files.isRegularFile(folder.resolve(id).resolve(AdapterConfig.FILE))) {
                throw new UnknownAdapterException(id, "there is no adapter '" + id + "' for model '" + base.id() + "'");
            }
            Adapter adapter = Adapter.load(folder.resolve(id));
            e = new Entry(base.upload(adapter));
            onDevice.put(id, e);
        }
        e.holders++;
        evict();
        return new Lease(id, e.weights);
    }

    /** Drops an adapter from the device (e.g. after its files changed); a request holding it keeps it until done. */
    public synchronized void unload(String id) {
        Entry e = onDevice.remove(id);
        if (e != null && e.holders == 0) {
            e.weights.close();
        }
    }

    private void evict() {
        var it = onDevice.entrySet().iterator();
        while (onDevice.size() > maxOnDevice && it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.holders == 0) {
                e.weights.close();
                it.remove();
            }
        }
    }

    @Override
    public synchronized void close() {
        onDevice.values().forEach(e -> e.weights.close());
        onDevice.clear();
    }
}

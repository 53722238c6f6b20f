package org.openledger.studio.daemon.attribution;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.attribution.influence.ExampleGradients;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.attribution.influence.InfluenceIndex;
import org.openledger.studio.attribution.influence.InfluenceIndexBuilder;
import org.openledger.studio.attribution.influence.InfluenceQuery;
import org.openledger.studio.attribution.influence.Preconditioner;
import org.openledger.studio.daemon.finetune.TrainingRows;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.store.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's influence indexes, one per fine-tuned adapter, and the span corpus's batches: built one at a time on the
 * {@code attribution-index} thread (resumable; the previous index served until a new one is complete), their states
 * kept in {@code attribution.db}, and opened for queries on first use (an index that fails its checks is refused and
 * rebuilt, never scored).
 */
final class InfluenceIndexes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InfluenceIndexes.class);
    /** The projection's seed: any fixed value; it is kept in each index's manifest. */
    private static final long SEED = 0x0A77L;

    /** An index opened for queries, with the adapter's gradients and who each row's share is credited to. */
    record Loaded(InfluenceIndex index, NDManager manager, ExampleGradients gradients, InfluenceQuery query,
                  ConcurrentHashMap<Integer, java.util.Optional<String>> credited) {
        void close() {
            query.close();
            gradients.close();
            manager.close();
        }
    }

    private final BaseModel base;
    private final Path adapterFolder;
    private final IndexFolders folders;
    private final AttributionStore store;
    private final AttributionMetrics metrics;
    private final SpanCorpus corpus;
    private final int k;
    private final double damping;
    private final ExecutorService builder;
    private final Map<String, InfluenceIndexInfo> states = new LinkedHashMap<>();
    private final Map<String, Loaded> loaded = new HashMap<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Attributions.RowSource rowSource = adapter -> {
        throw new IllegalStateException("no row source");
    };

    InfluenceIndexes(BaseModel base, Path adapterFolder, IndexFolders folders, AttributionStore store,
                     AttributionMetrics metrics, SpanCorpus corpus, int k, double damping) {
        this.base = base;
        this.adapterFolder = adapterFolder;
        this.folders = folders;
        this.store = store;
        this.metrics = metrics;
        this.corpus = corpus;
        this.k = k;
        this.damping = damping;
        this.builder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "attribution-index");
            t.setDaemon(true);
            return t;
        });
        for (InfluenceIndexInfo info : store.indexes()) {
            states.put(info.adapter(), info);
        }
    }

    /** Sets where rows come from for rebuilds, and resumes the builds a stopped node left unfinished. */
    void start(Attributions.RowSource source) {
        this.rowSource = source;
        List<String> unfinished = new ArrayList<>();
        synchronized (this) {
            for (InfluenceIndexInfo info : states.values()) {
                if (info.state().equals("queued") || info.state().equals("building")) {
                    unfinished.add(info.adapter());
                }
            }
        }
        for (String adapter : unfinished) {
            try {
                folders.recover(adapter);
                index(adapter, source.rows(adapter));
            } catch (Exception e) {
                setState(adapter, "failed", null, null, "The build cannot be resumed: " + e.getMessage());
            }
        }
    }

    /** Queues the build of {@code adapter}'s index from its training rows (its inline rows join the span corpus). */
    void index(String adapter, TrainingRows rows) {
        if (rows.rows().isEmpty()) {
            setState(adapter, "failed", 0, 0, "The adapter's job has no training rows");
            return;
        }
        setState(adapter, "queued", rows.rows().size(), 0, null);
        List<IndexedRow> inline = rows.rows().stream().filter(r -> r.datanetId() == null).toList();
        addRows("job:" + adapter, inline);
        builder.execute(() -> build(adapter, rows));
    }

    /** Queues the (re)build of an adapter's index from the rows its job learned. */
    InfluenceIndexInfo index(String adapter) throws AttributionException {
        TrainingRows rows;
        try {
            rows = rowSource.rows(adapter);
        } catch (Exception e) {
            throw AttributionException.bad("adapter", e.getMessage());
        }
        index(adapter, rows);
        return state(adapter);
    }

    /** Adds a batch of rows to the span corpus on the index thread; a batch already there is left as it is. */
    void addRows(String batch, List<IndexedRow> rows) {
        if (corpus == null || rows.isEmpty() || closing.get()) {
            return;
        }
        builder.execute(() -> {
            try {
                corpus.add(batch, rows);
            } catch (RuntimeException e) {
                log.warn("rows of {} cannot be added to the span corpus", batch, e);
            }
        });
    }

    boolean hasRows(String batch) {
        return corpus != null && corpus.has(batch);
    }

    private void build(String adapter, TrainingRows rows) {
        if (closing.get()) {
            return;
        }
        long began = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager(base.device().djl())) {
            Adapter a = Adapter.load(adapterFolder.resolve(adapter));
            setState(adapter, "building", rows.rows().size(), 0, null);
            folders.recover(adapter);
            Files.createDirectories(folders.next(adapter));
            InfluenceIndexBuilder.Spec spec = new InfluenceIndexBuilder.Spec(adapter, sha256(adapter), base.id(), k,
                    SEED, Preconditioner.Kind.GRAM, damping);
            InfluenceIndex built;
            try (ExampleGradients g = new ExampleGradients(base.transformer(), a, m)) {
                long[] last = {0};
                built = InfluenceIndexBuilder.build(folders.next(adapter), spec, rows.rows(), rows.examples(), g, m,
                        (done, total) -> {
                            long now = System.nanoTime();
                            if (now - last[0] > 500_000_000L || done == total) {
                                last[0] = now;
                                setState(adapter, "building", total, done, null);
                            }
                        }, closing::get);
            }
            synchronized (this) {
                Loaded old = loaded.remove(adapter);
                if (old != null) {
                    old.close();
                }
                folders.promote(adapter);
            }
            metrics.builds.increment();
            InfluenceIndex.Manifest mf = built.manifest();
            putState(new InfluenceIndexInfo(adapter, "ready", mf.rows(), mf.rows(), mf.k(), built.bytes(),
                    (System.nanoTime() - began) / 1e9, mf.preconditioner(), null, Instant.now().getEpochSecond()));
            log.info("attribution index of {} ready: {} rows, k={}", adapter, mf.rows(), mf.k());
        } catch (CancellationException e) {
            log.info("attribution index of {} paused; it goes on when the node starts again", adapter);
        } catch (Exception | OutOfMemoryError e) {
            log.warn("attribution index of {} failed", adapter, e);
            metrics.buildFailures.increment();
            InfluenceIndexInfo before = state(adapter);
            boolean served = InfluenceIndex.exists(folders.current(adapter));
            setState(adapter, "failed", before == null ? null : before.rows(), null, "Building the index failed: "
                    + e.getMessage() + (served ? "; the previous index is still served" : ""));
        }
    }

    private String sha256(String adapter) throws IOException {
        try (InputStream in = Files.newInputStream(adapterFolder.resolve(adapter).resolve(Adapter.WEIGHTS_FILE))) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized void setState(String adapter, String state, Integer rows, Integer done, String error) {
        InfluenceIndexInfo before = states.get(adapter);
        putState(new InfluenceIndexInfo(adapter, state, rows, done, before != null ? before.k() : null,
                before != null ? before.bytes() : null, before != null ? before.buildSeconds() : null,
                before != null ? before.preconditioner() : null, error, Instant.now().getEpochSecond()));
    }

    private synchronized void putState(InfluenceIndexInfo info) {
        states.put(info.adapter(), info);
        // while stopping, a build's progress is not stored: its last stored state says to resume it
        if (!closing.get() || !info.state().equals("building")) {
            store.putIndex(info);
        }
    }

    synchronized List<InfluenceIndexInfo> indexes() {
        return List.copyOf(states.values());
    }

    synchronized InfluenceIndexInfo state(String adapter) {
        return states.get(adapter);
    }

    /** Whether {@code model} has an index being served. */
    boolean served(String model) {
        if (model == null || model.equals(base.id())) {
            return false;
        }
        try {
            return InfluenceIndex.exists(folders.current(model));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The served index of {@code model}; a corrupt one is refused and rebuilt, never scored. */
    synchronized Loaded load(String model) throws Exception {
        Loaded l = loaded.get(model);
        if (l != null) {
            return l;
        }
        InfluenceIndex index;
        try {
            index = InfluenceIndex.open(folders.current(model));
        } catch (IOException e) {
            log.warn("the attribution index of {} is unreadable ({}); rebuilding it", model, e.getMessage());
            Folders.deleteTree(folders.current(model));
            setState(model, "failed", null, null, "The index failed its checks (" + e.getMessage()
                    + ") and is being rebuilt");
            builder.execute(() -> {
                try {
                    build(model, rowSource.rows(model));
                } catch (Exception ex) {
                    setState(model, "failed", null, null, "The rebuild cannot start: " + ex.getMessage());
                }
            });
            throw AttributionException.bad("model", "The influence index of '" + model + "' failed its checksum"
                    + " and is being rebuilt; try again when GET /v1/attribution/indexes says ready");
        }
        NDManager m = NDManager.newBaseManager(base.device().djl());
        ExampleGradients g = new ExampleGradients(base.transformer(), Adapter.load(adapterFolder.resolve(model)), m);
        l = new Loaded(index, m, g, new InfluenceQuery(index, g, m), new ConcurrentHashMap<>());
        loaded.put(model, l);
        return l;
    }

    long corpusTokens() {
        return corpus == null ? 0 : corpus.tokens();
    }

    @Override
    public void close() {
        closing.set(true);
        builder.shutdown();
        try {
            builder.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            loaded.values().forEach(Loaded::close);
            loaded.clear();
        }
    }
}

package org.openledger.studio.daemon.registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.openledger.studio.api.registry.RegistryInfo;
import org.openledger.studio.api.registry.UploadStatus;
import org.openledger.studio.datanet.check.NearDuplicateSettings;
import org.openledger.studio.datanet.check.NodeDuplicateIndex;
import org.openledger.studio.datanet.check.RowChecks;
import org.openledger.studio.datanet.check.SignatureIndex;
import org.openledger.studio.datanet.contribution.ContributionManifest;
import org.openledger.studio.datanet.contribution.ContributionRejectedException;
import org.openledger.studio.datanet.contribution.ContributionVerifier;
import org.openledger.studio.datanet.contribution.ManifestDomain;
import org.openledger.studio.datanet.contribution.PlannedChunk;
import org.openledger.studio.datanet.contribution.SignedManifest;
import org.openledger.studio.datanet.contribution.UploadRow;
import org.openledger.studio.store.CrashPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Datanet registry: takes signed contributions in verified chunks (resumable: the node's word on which
 * chunks it holds survives restarts), stores their rows, and answers near-duplicate queries per Datanet from an
 * in-memory LSH index rebuilt from the stored signatures at start.
 */
public final class DatanetRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatanetRegistry.class);

    /** The lowest threshold near-duplicate queries may ask for (the index's banding is chosen for it). */
    public static final double LOWEST_THRESHOLD = 0.5;

    private final RegistryStore store;
    private final ManifestDomain domain;
    private final ContributionVerifier verifier;
    private final RowChecks checks = new RowChecks();
    private final Clock clock;
    private final Map<String, SignatureIndex> indexes = new ConcurrentHashMap<>();
    private final Object finishing = new Object();

    public DatanetRegistry(RegistryStore store, ManifestDomain domain, Clock clock) {
        this.store = store;
        this.domain = domain;
        this.verifier = new ContributionVerifier(domain);
        this.clock = clock;
        int[] n = {0};
        store.forEachRow(r -> {
            index(r.datanetId()).add(r.hash(), r.signature());
            n[0]++;
        });
        log.info("Datanet registry: {} stored rows indexed", n[0]);
    }

    public RegistryInfo info() {
        return new RegistryInfo(domain.chainId(), domain.verifyingContract());
    }

    /**
     * Opens an upload after verifying the manifest's signature, root and chunk plan; the same manifest again returns
     * the same upload.
     *
     * @throws ContributionRejectedException when the manifest does not verify or its nonce was used for other rows
     */
    public synchronized UploadStatus open(SignedManifest signed, List<PlannedChunk> chunks) {
        if (signed == null || chunks == null || chunks.isEmpty()) {
            throw new ContributionRejectedException("an upload needs a signed manifest and its chunk plan");
        }
        verifier.verifyManifest(signed, chunks);
        ContributionManifest m = signed.manifest();
        Optional<RegistryStore.StoredUpload> existing = store.find(m.datanetId().toString(), m.contributor(),
                m.nonce().toString());
        if (existing.isPresent()) {
            if (!existing.get().merkleRoot().equalsIgnoreCase(m.merkleRoot())) {
                throw new ContributionRejectedException("nonce " + m.nonce() + " was used by this contributor for "
                        + "other rows");
            }
            return status(existing.get().id());
        }
        String id = "upl-" + UUID.randomUUID();
        store.insert(id, signed, chunks, clock.millis());
        return status(id);
    }

    /** @throws UnknownUploadException when there is no such upload */
    public UploadStatus status(String id) {
        RegistryStore.StoredUpload u = store.get(id).orElseThrow(() -> new UnknownUploadException(id));
        List<Integer> received = u.state().equals("complete")
                ? java.util.stream.IntStream.range(0, u.chunks().size()).boxed().toList()
                : new ArrayList<>(store.receivedChunks(id));
        return new UploadStatus(u.id(), u.datanetId(), u.manifest().manifest().contributor(), u.merkleRoot(),
                u.state(), u.chunks().size(), received, u.rows());
    }

    /**
     * Verifies a chunk (hash of the bytes, its rows against the manifest, each text against its row hash) and keeps it.
     *
     * @return the number of rows in the chunk
     * @throws ContributionRejectedException when it does not verify (nothing is kept)
     */
    public int putChunk(String id, int index, byte[] payload, String claimedHash) {
        RegistryStore.StoredUpload u = store.get(id).orElseThrow(() -> new UnknownUploadException(id));
        if (index < 0 || index >= u.chunks().size()) {
            throw new RegistryRefusedException("chunk " + index + " is not in the plan (0.." + (u.chunks().size() - 1)
                    + ")");
        }
        if (claimedHash == null || claimedHash.isBlank()) {
            throw new ContributionRejectedException("a chunk needs its hash (query parameter hash)");
        }
        List<UploadRow> rows = verifier.verifyChunk(u.manifest().manifest(), u.chunks().get(index), payload,
                claimedHash);
        if (!u.state().equals("complete")) {
            store.putChunk(id, index, payload, clock.millis());
        }
        return rows.size();
    }

    /**
     * Stores the rows of a fully received upload and indexes them; finishing a finished upload answers the same.
     *
     * @throws RegistryRefusedException when chunks are missing
     */
    public UploadStatus finish(String id) {
        synchronized (finishing) {
            RegistryStore.StoredUpload u = store.get(id).orElseThrow(() -> new UnknownUploadException(id));
            if (u.state().equals("complete")) {
                return status(id);
            }
            var received = store.receivedChunks(id);
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < u.chunks().size(); i++) {
                if (!received.contains(i)) {
                    missing.add(i);
                }
            }
            if (!missing.isEmpty()) {
                throw new RegistryRefusedException("chunks " + missing + " have not been received yet");
            }
            List<RegistryStore.NewRow> rows = new ArrayList<>(u.manifest().manifest().rowCount());
            for (PlannedChunk c : u.chunks()) {
                List<UploadRow> chunkRows = verifier.verifyChunk(u.manifest().manifest(), c, store.chunk(id, c.index()),
                        c.hash());
                for (int i = 0; i < chunkRows.size(); i++) {
                    UploadRow r = chunkRows.get(i);
                    rows.add(new RegistryStore.NewRow(c.firstRow() + i, r, checks.check(r.text()).signature()));
                }
            }
            store.complete(u, rows, clock.millis());
            CrashPoint.reach("registry.finished"); // stored, not yet indexed or fed
            SignatureIndex index = index(u.datanetId());
            for (RegistryStore.NewRow r : rows) {
                index.add(r.row().hash(), r.signature());
            }
            log.info("Contribution {} to Datanet {} by {}: {} rows stored", id, u.datanetId(), u.contributor(),
                    rows.size());
            RowsSink s = sink;
            if (s != null) {
                s.add(id, store.uploadRows(id));
            }
            return status(id);
        }
    }

    /**
     * Drops what was received of uploads nobody touched for {@code age} (a sender that went away would otherwise
     * leave its chunks in {@code registry.db} for ever). Such an upload says {@code expired}; its sender resumes by
     * sending the chunks again, and opening the same manifest again finds it.
     *
     * @return how many uploads expired
     */
    public int expireAbandoned(java.time.Duration age) {
        synchronized (finishing) {
            List<String> ids = store.expireOpen(clock.millis() - age.toMillis());
            if (!ids.isEmpty()) {
                log.info("Dropped the received chunks of {} upload(s) untouched for {} h: {}", ids.size(),
                        age.toHours(), ids);
            }
            return ids.size();
        }
    }

    /** Bytes of chunks held for unfinished uploads. */
    public long stagedBytes() {
        return store.stagedBytes();
    }

    /** Receives the rows of finished contributions (the attribution span corpus). */
    public interface RowsSink {
        /** Whether the upload's rows were handed over before (then they are not again). */
        boolean has(String uploadId);

        /** Must only queue work: called while the upload is being finished. */
        void add(String uploadId, List<RegistryStore.StoredRow> rows);
    }

    private volatile RowsSink sink;

    /**
     * Hands {@code sink} the rows of every finished contribution it does not have yet, oldest first, then each new
     * contribution's rows as it finishes.
     */
    public void feed(RowsSink sink) {
        synchronized (finishing) {
            for (String id : store.completedUploads()) {
                if (!sink.has(id)) {
                    sink.add(id, store.uploadRows(id));
                }
            }
            this.sink = sink;
        }
    }

    /** Rows at least this similar (estimated Jaccard of their MinHash signatures) are one source for credit. */
    public static final double DUPLICATE_CREDIT_THRESHOLD = 0.8;

    /**
     * The contributor credited for a row: the one of the earliest contribution holding the row, an exact copy or a
     * near-duplicate of it (Jaccard ≥ {@link #DUPLICATE_CREDIT_THRESHOLD}), so copies earn nothing for whoever
     * uploaded them later. Null when the row is unknown.
     */
    public String creditedContributor(String datanetId, String uploadId, int seq) {
        RegistryStore.IndexedRow row = store.rowSignature(uploadId, seq);
        if (row == null || !row.datanetId().equals(datanetId)) {
            return null;
        }
        java.util.Set<String> group = new java.util.LinkedHashSet<>();
        group.add(row.hash());
        SignatureIndex index = indexes.get(datanetId);
        if (index != null) {
            for (NodeDuplicateIndex.NodeMatch m : index.nearDuplicates(List.of(new NodeDuplicateIndex.SignatureQuery(0,
                    row.hash(), row.signature())), DUPLICATE_CREDIT_THRESHOLD)) {
                group.add(m.nodeRowHash());
            }
        }
        RegistryStore.StoredRow first = store.earliestWithHash(datanetId, group);
        return first == null ? null : first.contributor();
    }

    /** The finished uploads whose manifest root (0x + hex) is one of {@code roots}. */
    public java.util.Set<String> uploadsWithRoots(java.util.Set<String> roots) {
        return store.uploadsWithRoots(roots);
    }

    /** The rows of a Datanet's finished contributions, oldest upload first, for fine-tuning on them. */
    public List<org.openledger.studio.daemon.finetune.DatanetRows.Row> trainingRows(String datanetId) {
        List<org.openledger.studio.daemon.finetune.DatanetRows.Row> out = new java.util.ArrayList<>();
        for (RegistryStore.StoredRow r : store.rows(datanetId)) {
            out.add(new org.openledger.studio.daemon.finetune.DatanetRows.Row(r.text(),
                    new org.openledger.studio.api.finetune.TrainedRow(r.datanetId(), r.uploadId(), r.seq(), r.hash(),
                            r.contributor(), null)));
        }
        return out;
    }

    /** Finished contributions of a Datanet, newest first. */
    public List<UploadStatus> contributions(String datanetId) {
        return store.completed(datanetId).stream().map(u -> status(u.id())).toList();
    }

    /**
     * Rows of the Datanet on this node near the queried signatures.
     *
     * @throws IllegalArgumentException when the threshold is below {@link #LOWEST_THRESHOLD} or above 1
     */
    public List<NodeDuplicateIndex.NodeMatch> nearDuplicates(String datanetId,
                                                             List<NodeDuplicateIndex.SignatureQuery> queries,
                                                             double threshold) {
        if (!(threshold >= LOWEST_THRESHOLD && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be between " + LOWEST_THRESHOLD + " and 1, not "
                    + threshold);
        }
        int positions = NearDuplicateSettings.DEFAULT.positions();
        for (NodeDuplicateIndex.SignatureQuery q : queries) {
            if (q.hash() == null || q.signature() == null || q.signature().length != positions) {
                throw new IllegalArgumentException("each query needs a row hash and a MinHash signature of "
                        + positions + " values");
            }
        }
        SignatureIndex index = indexes.get(datanetId);
        return index == null ? List.of() : index.nearDuplicates(queries, threshold);
    }

    private SignatureIndex index(String datanetId) {
        return indexes.computeIfAbsent(datanetId,
                k -> new SignatureIndex(NearDuplicateSettings.DEFAULT.withThreshold(LOWEST_THRESHOLD)));
    }

    @Override
    public void close() {
        store.close();
    }
}

package org.openledger.studio.datanet.contribution;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node's side of an upload for these tests, built on the real {@link ContributionVerifier}: what the daemon's
 * registry endpoints will do, minus HTTP. Its {@link Storage} outlives a "restart" (a new NodeRegistry over the same
 * storage), as the daemon's database would.
 */
final class NodeRegistry implements RegistryClient {

    /** What the node keeps on disk. */
    static final class Storage {
        final Map<String, SignedManifest> manifests = new HashMap<>();
        final Map<String, List<PlannedChunk>> plans = new HashMap<>();
        final Map<String, Set<Integer>> received = new HashMap<>();
        final Map<String, String> rows = new LinkedHashMap<>(); // row hash -> text: unique by construction
        int chunksStored;
    }

    private final Storage storage;
    private final ContributionVerifier verifier;
    /** Throws (as a dropped connection would) when a send is attempted after this many accepted chunks; -1 never. */
    private final int dieAfterChunks;
    /** Flips a byte of the payload in transit this many times. */
    private int corruptions;
    private int accepted;

    NodeRegistry(Storage storage, ManifestDomain domain, int dieAfterChunks, int corruptions) {
        this.storage = storage;
        this.verifier = new ContributionVerifier(domain);
        this.dieAfterChunks = dieAfterChunks;
        this.corruptions = corruptions;
    }

    @Override
    public RemoteUpload open(SignedManifest manifest, List<PlannedChunk> chunks) {
        verifier.verifyManifest(manifest, chunks);
        String id = "upload-" + manifest.manifest().merkleRoot().substring(2, 14);
        storage.manifests.putIfAbsent(id, manifest);
        storage.plans.putIfAbsent(id, List.copyOf(chunks));
        storage.received.putIfAbsent(id, new TreeSet<>());
        return new RemoteUpload(id, Set.copyOf(storage.received.get(id)));
    }

    @Override
    public Set<Integer> receivedChunks(String remoteId) {
        return Set.copyOf(storage.received.get(remoteId));
    }

    @Override
    public ChunkReceipt sendChunk(String remoteId, int index, byte[] payload, String hash) {
        if (dieAfterChunks >= 0 && accepted >= dieAfterChunks) {
            throw new java.io.UncheckedIOException(new java.io.IOException("connection reset: the node went down"));
        }
        byte[] arrived = payload.clone();
        if (corruptions > 0) {
            corruptions--;
            arrived[arrived.length / 2] ^= 0x20;
        }
        try {
            List<UploadRow> rows = verifier.verifyChunk(storage.manifests.get(remoteId).manifest(),
                    storage.plans.get(remoteId).get(index), arrived, hash);
            for (UploadRow r : rows) {
                storage.rows.put(r.hash(), r.text());
            }
        } catch (ContributionRejectedException e) {
            return ChunkReceipt.refused(e.getMessage());
        }
        if (storage.received.get(remoteId).add(index)) {
            storage.chunksStored++;
        }
        accepted++;
        return ChunkReceipt.ok();
    }

    @Override
    public ContributionReceipt finish(String remoteId) {
        ContributionManifest m = storage.manifests.get(remoteId).manifest();
        if (storage.received.get(remoteId).size() != storage.plans.get(remoteId).size()) {
            throw new ContributionRejectedException("chunks are missing");
        }
        int stored = (int) m.rowHashes().stream().filter(storage.rows::containsKey).count();
        return new ContributionReceipt(remoteId, "stored", stored);
    }
}

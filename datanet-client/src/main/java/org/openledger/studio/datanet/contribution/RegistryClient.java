package org.openledger.studio.datanet.contribution;

import java.util.List;
import java.util.Set;

/**
 * The node's Datanet registry as the upload engine needs it. {@code datanet.node.HttpRegistryClient} implements it
 * over the node's HTTP API; any call may throw (an unchecked exception) when the node cannot be reached, and the
 * upload is then resumable.
 */
public interface RegistryClient {

    /**
     * Announces a signed contribution and its chunk plan. The node verifies the signature and the Merkle root.
     * Idempotent: opening the same manifest again returns the same remote upload.
     *
     * @throws ContributionRejectedException when the node refuses the manifest
     */
    RemoteUpload open(SignedManifest manifest, List<PlannedChunk> chunks);

    /** The chunks the node holds already, by index. */
    Set<Integer> receivedChunks(String remoteId);

    /** Sends one chunk; the node recomputes its hash and checks its rows against the manifest. */
    ChunkReceipt sendChunk(String remoteId, int index, byte[] payload, String hash);

    /** Closes the upload once every chunk is in; the node stores and indexes the rows. */
    ContributionReceipt finish(String remoteId);

    /** The node's handle on an upload. */
    record RemoteUpload(String id, Set<Integer> receivedChunks) {
    }

    /** Whether a chunk was taken, and if not why. */
    record ChunkReceipt(boolean accepted, String reason) {
        public static ChunkReceipt ok() {
            return new ChunkReceipt(true, "");
        }

        public static ChunkReceipt refused(String reason) {
            return new ChunkReceipt(false, reason);
        }
    }

    /** The node's answer to a finished upload: its status and how many rows it stored. */
    record ContributionReceipt(String remoteId, String status, int rows) {
    }
}

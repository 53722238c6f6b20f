package org.openledger.studio.api.registry;

import java.util.List;

/**
 * Where an upload stands on the node: {@code state} is {@code open} until finished, then {@code complete};
 * {@code received_chunks} are the chunk indexes the node holds; {@code rows} the rows stored once complete.
 */
public record UploadStatus(String id, String datanetId, String contributor, String merkleRoot, String state,
                           int chunks, List<Integer> receivedChunks, int rows) {
    public UploadStatus {
        receivedChunks = receivedChunks == null ? List.of() : List.copyOf(receivedChunks);
    }
}

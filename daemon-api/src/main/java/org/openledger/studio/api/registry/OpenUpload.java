package org.openledger.studio.api.registry;

import java.math.BigInteger;
import java.util.List;

/**
 * {@code POST /v1/registry/uploads}: a signed manifest and its chunk plan. The protocol's own records (decision 18):
 * the upload engine's {@code SignedManifest} and {@code PlannedChunk} are mapped to and from these at the edges, so a
 * change to the engine cannot change the JSON by accident.
 */
public record OpenUpload(Signed signedManifest, List<Chunk> chunks) {

    /** The manifest and the contributor's EIP-712 signature over it (65 bytes r ‖ s ‖ v, 0x hex). */
    public record Signed(Manifest manifest, String signature) {
    }

    /** What the contributor signed: the Datanet, who, the licence, a nonce, and the rows by hash with their root. */
    public record Manifest(BigInteger datanetId, String contributor, String licence, BigInteger nonce, int rowCount,
                           String merkleRoot, List<String> rowHashes) {
    }

    /** Rows {@code first_row .. first_row + row_count - 1}; the payload's size and keccak256 hash. */
    public record Chunk(int index, int firstRow, int rowCount, String hash, long bytes) {
    }
}

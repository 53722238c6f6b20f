package org.openledger.studio.api.registry;

/** {@code PUT /v1/registry/uploads/{id}/chunks/{index}}: the chunk was verified and kept. */
public record ChunkAccepted(int index, int rows) {
}

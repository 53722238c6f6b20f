package org.openledger.studio.api.registry;

import java.util.List;
import org.openledger.studio.datanet.contribution.PlannedChunk;
import org.openledger.studio.datanet.contribution.SignedManifest;

/** {@code POST /v1/registry/uploads}: a signed manifest and its chunk plan. */
public record OpenUpload(SignedManifest signedManifest, List<PlannedChunk> chunks) {
}

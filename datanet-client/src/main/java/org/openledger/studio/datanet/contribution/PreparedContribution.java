package org.openledger.studio.datanet.contribution;

import java.util.List;

/**
 * A contribution ready to sign: its local upload id, the manifest, the chunk plan, and how many rows were left out
 * because the same text is already in the contribution or in an earlier one.
 */
public record PreparedContribution(long uploadId, ContributionManifest manifest, List<PlannedChunk> chunks,
                                   int skippedDuplicates) {
    public PreparedContribution {
        chunks = List.copyOf(chunks);
    }
}

package org.openledger.studio.datanet.workspace;

import java.util.List;
import org.openledger.studio.datanet.check.Finding;
import org.openledger.studio.datanet.ingest.Provenance;

/** A row in the workspace, with its curation state and the findings of its checks. */
public record StoredRow(long id, long datanetId, long batchId, String text, byte[] hash, Provenance provenance,
                        RowStatus status, boolean blocking, List<Finding> findings) {
    public StoredRow {
        findings = List.copyOf(findings);
    }
}

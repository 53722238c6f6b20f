package org.openledger.studio.datanet.workspace;

import java.util.List;
import java.util.Map;
import org.openledger.studio.datanet.ingest.IngestSummary;

/**
 * What adding files did: the batch the rows belong to, per file what was read (with skipped lines), how many rows
 * were new to the workspace, and the files that could not be read at all with the reason.
 */
public record ImportResult(long batchId, List<IngestSummary> files, long newRows, Map<String, String> failures) {
    public ImportResult {
        files = List.copyOf(files);
        failures = Map.copyOf(failures);
    }
}

package org.openledger.studio.datanet.ingest;

import java.util.List;

/** What reading one file produced: how many rows, and the lines or records that were skipped and why. */
public record IngestSummary(String file, long rows, List<LineProblem> problems) {
    public IngestSummary {
        problems = List.copyOf(problems);
    }
}

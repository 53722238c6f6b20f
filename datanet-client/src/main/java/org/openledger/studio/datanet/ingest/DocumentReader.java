package org.openledger.studio.datanet.ingest;

import java.nio.file.Path;

/** Turns one kind of file into rows, streaming them to a sink. */
public interface DocumentReader {

    /**
     * @throws IngestException when the file as a whole cannot be read as this kind (broken, binary, not UTF-8);
     *                         single bad lines of line-based formats are returned in the summary instead
     */
    IngestSummary read(Path file, String contributor, RowSink sink, ProgressListener progress);
}

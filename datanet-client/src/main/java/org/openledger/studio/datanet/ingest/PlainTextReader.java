package org.openledger.studio.datanet.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Plain text and Markdown: paragraphs (separated by blank lines) packed into rows by the {@link Chunker}. */
public final class PlainTextReader implements DocumentReader {

    /** Longer lines are cut into pieces; keeps memory bounded for files with no line breaks at all. */
    static final int MAX_LINE_BYTES = 1 << 14;

    private final ChunkSettings settings;
    private final TokenCounter counter;
    private final TextNormaliser normaliser;

    public PlainTextReader(ChunkSettings settings, TokenCounter counter, TextNormaliser normaliser) {
        this.settings = settings;
        this.counter = counter;
        this.normaliser = normaliser;
    }

    @Override
    public IngestSummary read(Path file, String contributor, RowSink sink, ProgressListener progress) {
        try (InputStream in = Sources.open(file)) {
            return read(in, Sources.name(file), Sources.size(file), contributor, sink, progress);
        } catch (IOException e) {
            throw new IngestException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads text from any stream; {@code totalBytes} is only for progress (-1 when unknown). */
    public IngestSummary read(InputStream in, String fileName, long totalBytes, String contributor, RowSink sink,
                              ProgressListener progress) {
        try {
            in = BinaryContent.refuseBinary(in, fileName, "a text file");
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + fileName + " failed", e);
        }
        long[] rows = {0};
        Chunker chunker = new Chunker(settings, counter, normaliser, (text, line, offset, page) -> {
            sink.accept(new IngestedRow(text, new Provenance(fileName, line, offset, page, contributor)));
            rows[0]++;
        });
        Utf8Lines lines = new Utf8Lines(in, MAX_LINE_BYTES);
        long reported = 0;
        try {
            for (Utf8Lines.Line line = lines.next(); line != null; line = lines.next()) {
                if (line.problem() != null) {
                    throw new IngestException(fileName + " line " + line.number() + ": " + line.problem());
                }
                chunker.line(line.text(), line.number(), line.charOffset(), 0, line.continues());
                if (lines.bytesRead() - reported >= (1 << 20)) {
                    reported = lines.bytesRead();
                    progress.progress(reported, totalBytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + fileName + " failed", e);
        }
        chunker.finish();
        progress.progress(lines.bytesRead(), totalBytes);
        return new IngestSummary(fileName, rows[0], List.of());
    }
}

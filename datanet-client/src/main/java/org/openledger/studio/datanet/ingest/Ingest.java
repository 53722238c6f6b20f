package org.openledger.studio.datanet.ingest;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Reads any supported file into rows, choosing the reader by the file's extension. */
public final class Ingest {

    public static final String SUPPORTED = ".txt, .md, .jsonl, .csv, .pdf, .docx";

    private final Map<String, DocumentReader> readers;

    public Ingest(ChunkSettings chunks, CsvMapping csv, TokenCounter counter) {
        TextNormaliser normaliser = new TextNormaliser();
        PlainTextReader text = new PlainTextReader(chunks, counter, normaliser);
        JsonlReader jsonl = new JsonlReader(normaliser);
        this.readers = Map.of(
                "txt", text, "md", text, "markdown", text,
                "jsonl", jsonl, "ndjson", jsonl,
                "csv", new CsvReader(csv, normaliser),
                "pdf", new PdfReader(chunks, counter, normaliser),
                "docx", new DocxReader(chunks, counter, normaliser));
    }

    /** Default chunking (256 tokens, 32 overlap), CSV columns chosen from the header, word-count tokens. */
    public Ingest() {
        this(ChunkSettings.DEFAULT, CsvMapping.auto(), TokenCounter.WORDS);
    }

    public boolean supports(Path file) {
        return readers.containsKey(extension(file));
    }

    /**
     * Streams the rows of {@code file} into {@code sink}.
     *
     * @throws IngestException for an unsupported type or a file that cannot be read as its type
     */
    public IngestSummary read(Path file, String contributor, RowSink sink, ProgressListener progress) {
        DocumentReader reader = readers.get(extension(file));
        if (reader == null) {
            throw new IngestException(Sources.name(file) + ": unsupported file type; supported are " + SUPPORTED);
        }
        return reader.read(file, contributor, sink, progress);
    }

    private static String extension(Path file) {
        String name = Sources.name(file);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}

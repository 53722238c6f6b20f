package org.openledger.studio.datanet.ingest;

import java.util.Objects;

/**
 * Where a row came from: the file, the most precise position the format has, and who contributed it.
 *
 * @param file        the file's name as the contributor gave it (no folders: those would leak local paths)
 * @param line        1-based line where the row starts, or 0 when the format has no lines (PDF, DOCX)
 * @param offset      0-based character offset of the row's start in the file's text
 * @param page        1-based PDF page, or 0
 * @param contributor the contributor's address or name
 */
public record Provenance(String file, long line, long offset, int page, String contributor) {

    public Provenance {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(contributor, "contributor");
        if (line < 0 || offset < 0 || page < 0) {
            throw new IllegalArgumentException("line, offset and page must not be negative");
        }
    }

    /** {@code file:line} for line-based formats, {@code file#page=N} for PDF, else {@code file@offset}. */
    public String source() {
        if (line > 0) {
            return file + ":" + line;
        }
        if (page > 0) {
            return file + "#page=" + page + "@" + offset;
        }
        return file + "@" + offset;
    }
}

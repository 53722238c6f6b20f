package org.openledger.studio.datanet.ingest;

/** A line (or record) that could not be turned into a row; the rest of the file was still read. */
public record LineProblem(String file, long line, String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}

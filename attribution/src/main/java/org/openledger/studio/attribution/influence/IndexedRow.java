package org.openledger.studio.attribution.influence;

/**
 * A training row as an attribution result names it: {@code source} is {@code datanet:<id>/<upload>/<seq>} for a
 * Datanet row or {@code line:N} (1-based) for a line of a job's inline training data; Datanet fields are null for
 * inline rows. {@code text} is the row's text (results show its first 500 characters).
 */
public record IndexedRow(String source, String datanetId, String uploadId, Integer seq, String contributor,
                         String text) {

    public static final int TEXT_SHOWN = 500;

    /** A Datanet row, named {@code datanet:<id>/<upload>/<seq>}. */
    public static IndexedRow ofDatanet(String datanetId, String uploadId, int seq, String contributor, String text) {
        return new IndexedRow("datanet:" + datanetId + "/" + uploadId + "/" + seq, datanetId, uploadId, seq,
                contributor, text);
    }

    /** The first {@link #TEXT_SHOWN} characters of the text. */
    public String shownText() {
        return text == null || text.length() <= TEXT_SHOWN ? text : text.substring(0, TEXT_SHOWN);
    }
}

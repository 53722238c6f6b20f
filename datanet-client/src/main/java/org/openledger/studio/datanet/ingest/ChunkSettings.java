package org.openledger.studio.datanet.ingest;

/**
 * How prose is cut into rows.
 *
 * @param maxTokens     a row holds whole paragraphs up to this many tokens; a longer paragraph is cut into windows
 * @param overlapTokens how many tokens at the end of a row are repeated at the start of the next one, so that a
 *                      fact split across the cut is still whole in one row
 */
public record ChunkSettings(int maxTokens, int overlapTokens) {

    public static final ChunkSettings DEFAULT = new ChunkSettings(256, 32);

    public ChunkSettings {
        if (maxTokens < 8) {
            throw new IllegalArgumentException("maxTokens must be at least 8, was " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
            throw new IllegalArgumentException("overlapTokens must be between 0 and maxTokens/2, was " + overlapTokens);
        }
    }
}

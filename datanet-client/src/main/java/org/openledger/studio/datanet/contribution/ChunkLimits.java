package org.openledger.studio.datanet.contribution;

/**
 * How big a chunk may get. The default keeps a chunk under 4 MiB (OpenLedger takes at most 5 MB per submission)
 * and 1000 rows, so a lost connection costs little.
 */
public record ChunkLimits(int maxRows, long maxBytes) {
    public static final ChunkLimits DEFAULT = new ChunkLimits(1000, 4L << 20);

    public ChunkLimits {
        if (maxRows < 1 || maxBytes < 1024) {
            throw new IllegalArgumentException("a chunk must allow at least one row and 1 KiB");
        }
    }
}

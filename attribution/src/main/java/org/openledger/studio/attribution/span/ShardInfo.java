package org.openledger.studio.attribution.span;

/**
 * What writing one shard produced and what it cost: the file's name in the index folder, its rows and tokens,
 * its size on disk, and the time spent sorting suffixes and writing the file.
 */
public record ShardInfo(String name, int rows, long tokens, long bytes, long suffixArrayNanos, long writeNanos) {

    /** Bytes on disk per corpus token, everything included (header, tokens, separators, pointers, row tables). */
    public double bytesPerToken() {
        return tokens == 0 ? Double.NaN : (double) bytes / tokens;
    }
}

package org.openledger.studio.attribution.span;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A read-only, little-endian memory map of a whole file of any size.
 *
 * <p>A {@link MappedByteBuffer} addresses at most 2 GiB, so the file is mapped as chunks of {@code 2^shift}
 * bytes. Each chunk maps {@link #OVERLAP} bytes more than its share, so a value of up to 8 bytes that starts in
 * chunk k is read whole from chunk k even where it straddles the boundary. Absolute reads leave the buffers'
 * positions alone, so any number of threads may read at once.
 *
 * <p>The channel is closed once mapped; the mappings live until the buffers are collected, which is what lets
 * a reader keep using a shard whose file was deleted by a merge (on POSIX systems).
 */
final class MappedFile {

    static final int OVERLAP = 8;
    static final int DEFAULT_SHIFT = 30;

    private final MappedByteBuffer[] chunks;
    private final int shift;
    private final long mask;
    private final long size;

    private MappedFile(MappedByteBuffer[] chunks, int shift, long size) {
        this.chunks = chunks;
        this.shift = shift;
        this.mask = (1L << shift) - 1;
        this.size = size;
    }

    static MappedFile map(Path file) throws IOException {
        return map(file, DEFAULT_SHIFT);
    }

    /** Maps {@code file} in chunks of {@code 2^shift} bytes (small shifts let tests cross many boundaries). */
    static MappedFile map(Path file, int shift) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long chunk = 1L << shift;
            int count = (int) Math.max(1, (size + chunk - 1) >>> shift);
            MappedByteBuffer[] chunks = new MappedByteBuffer[count];
            for (int k = 0; k < count; k++) {
                long start = (long) k << shift;
                long length = Math.min(size - start, chunk + OVERLAP);
                chunks[k] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.max(0, length));
                chunks[k].order(ByteOrder.LITTLE_ENDIAN);
            }
            return new MappedFile(chunks, shift, size);
        }
    }

    long size() {
        return size;
    }

    byte getByte(long offset) {
        return chunks[(int) (offset >>> shift)].get((int) (offset & mask));
    }

    int getUnsignedShort(long offset) {
        return chunks[(int) (offset >>> shift)].getShort((int) (offset & mask)) & 0xFFFF;
    }

    int getInt(long offset) {
        return chunks[(int) (offset >>> shift)].getInt((int) (offset & mask));
    }

    long getLong(long offset) {
        return chunks[(int) (offset >>> shift)].getLong((int) (offset & mask));
    }

    /** An unsigned 40-bit little-endian value (the suffix array's 5-byte pointers). */
    long getUint40(long offset) {
        MappedByteBuffer chunk = chunks[(int) (offset >>> shift)];
        int at = (int) (offset & mask);
        return (chunk.getInt(at) & 0xFFFF_FFFFL) | ((long) (chunk.get(at + 4) & 0xFF) << 32);
    }

    /** Feeds bytes {@code [from, to)} of the file to {@code crc}, chunk by chunk, without copying. */
    void update(CRC32C crc, long from, long to) {
        long chunk = 1L << shift;
        for (long at = from; at < to; ) {
            int k = (int) (at >>> shift);
            long chunkEnd = Math.min(to, ((long) k << shift) + chunk);
            ByteBuffer view = chunks[k].duplicate();
            view.position((int) (at & mask)).limit((int) (chunkEnd - ((long) k << shift)));
            crc.update(view);
            at = chunkEnd;
        }
    }
}

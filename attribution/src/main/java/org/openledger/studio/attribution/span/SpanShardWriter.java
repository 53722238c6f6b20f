package org.openledger.studio.attribution.span;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one shard file (layout in {@link ShardFormat}) from rows of tokens: the rows are joined with a
 * separator token, the suffixes are sorted with {@link SuffixArray}, and the file is written to a temporary
 * name, forced to disk and renamed into place, so a reader sees either no file or a whole one.
 *
 * <p>A shard is built in memory as {@code int[]}s, so one shard holds fewer than 2^31 text positions even
 * though the format's 5-byte pointers reach 2^40; split bigger batches into several shards.
 */
final class SpanShardWriter {

    private static final int BUFFER_BYTES = 1 << 22;

    private SpanShardWriter() {
    }

    static ShardInfo write(Path file, List<SpanRow> rows, int vocab) {
        if (vocab < 1) {
            throw new IllegalArgumentException("vocab must be at least 1, was " + vocab);
        }
        long positions = rows.size();
        for (SpanRow row : rows) {
            positions += row.tokens().length;
        }
        if (positions > Integer.MAX_VALUE - 16) {
            throw new SpanIndexException("a shard holds fewer than 2^31 tokens; this batch has " + positions
                    + " tokens and separators: split it into several shards");
        }
        int separator = vocab;
        int[] text = new int[(int) positions];
        long[] rowStarts = new long[rows.size()];
        long[] rowIds = new long[rows.size()];
        int at = 0;
        for (int r = 0; r < rows.size(); r++) {
            SpanRow row = rows.get(r);
            rowStarts[r] = at;
            rowIds[r] = row.rowId();
            for (int t : row.tokens()) {
                if (t < 0 || t >= vocab) {
                    throw new IllegalArgumentException("row " + row.rowId() + " has token " + t
                            + ", outside the vocabulary [0, " + vocab + ")");
                }
                text[at++] = t;
            }
            text[at++] = separator;
        }
        long sortStart = System.nanoTime();
        int[] sa = SuffixArray.build(text, vocab + 1);
        long sortNanos = System.nanoTime() - sortStart;
        // The separator is the largest symbol, so the suffixes that start at one are the last R entries:
        // dropping them keeps 5 bytes per row off the disk and keeps every match inside a row.
        ShardFormat format = new ShardFormat(vocab, text.length, text.length - rows.size(), rows.size());
        long writeStart = System.nanoTime();
        try {
            writeAtomically(file, format, text, sa, rowStarts, rowIds);
        } catch (IOException e) {
            throw new SpanIndexException("cannot write shard " + file + ": " + e.getMessage(), e);
        }
        long writeNanos = System.nanoTime() - writeStart;
        return new ShardInfo(file.getFileName().toString(), rows.size(), format.tokenCount, format.fileLength(),
                sortNanos, writeNanos);
    }

    private static void writeAtomically(Path file, ShardFormat format, int[] text, int[] sa, long[] rowStarts,
                                        long[] rowIds) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            Payload out = new Payload(channel);
            for (int t : text) {
                if (format.width == 2) {
                    out.buffer(2).putShort((short) t);
                } else {
                    out.buffer(4).putInt(t);
                }
            }
            out.padTo(format.suffixArrayOffset());
            for (long r = 0; r < format.tokenCount; r++) {
                int p = sa[(int) r];
                out.buffer(5).putInt(p).put((byte) 0); // positions < 2^31 here; the fifth byte is for 2^40
            }
            out.padTo(format.rowStartsOffset());
            for (long start : rowStarts) {
                out.buffer(8).putLong(start);
            }
            for (long id : rowIds) {
                out.buffer(8).putLong(id);
            }
            out.flush();
            if (out.written != format.fileLength()) {
                throw new IllegalStateException("wrote " + out.written + " bytes, layout says " + format.fileLength());
            }
            channel.write(header(format, (int) out.crc.getValue()), 0);
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file.toAbsolutePath().getParent());
    }

    static ByteBuffer header(ShardFormat format, int payloadCrc) {
        ByteBuffer h = ByteBuffer.allocate(ShardFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put(ShardFormat.MAGIC).putInt(ShardFormat.VERSION).putInt(format.width).putInt(format.vocab).putInt(0);
        h.putLong(format.textLength).putLong(format.tokenCount).putLong(format.rowCount);
        h.putLong(format.fileLength() - ShardFormat.HEADER_BYTES).putInt(payloadCrc);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, 60);
        h.putInt((int) crc.getValue());
        return h.flip();
    }

    /** Makes a rename durable: on Linux the directory entry is on disk only once the directory is forced. */
    static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
        }
    }

    /** The payload written through one buffer, check-summed as it goes; the header is written last. */
    private static final class Payload {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private long written = ShardFormat.HEADER_BYTES;

        Payload(FileChannel channel) throws IOException {
            this.channel = channel;
            channel.position(ShardFormat.HEADER_BYTES);
        }

        ByteBuffer buffer(int room) throws IOException {
            if (buffer.remaining() < room) {
                flush();
            }
            written += room;
            return buffer;
        }

        void padTo(long offset) throws IOException {
            while (written < offset) {
                buffer(1).put((byte) 0);
            }
        }

        void flush() throws IOException {
            buffer.flip();
            crc.update(buffer.duplicate());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }
    }
}

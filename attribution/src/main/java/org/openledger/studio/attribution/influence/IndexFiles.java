package org.openledger.studio.attribution.influence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.openledger.studio.store.Folders;

/**
 * The files of an influence index: fixed-width binary files (a 32-byte header, then little-endian values) with a
 * CRC32C of everything after the header, and JSON written whole ({@link Folders#writeAtomically}). Every file is
 * written to a temporary name, forced to disk and renamed into place, so a crash or a full disk leaves either the old
 * file or the new one; a shard's payload is written from its buffer as it is, without a copy.
 */
final class IndexFiles {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final int HEADER = 32;
    static final int SHARD_MAGIC = 0x5346494f;         // "OIFS": one shard of projected gradients, float16
    static final int PRECONDITIONER_MAGIC = 0x5046494f; // "OIFP": H⁻¹, float32
    static final int VERSION = 1;

    private IndexFiles() {
    }

    /** Writes header (magic, version, a, b, crc of payload) + payload atomically. */
    static void writeBinary(Path file, int magic, int a, int b, ByteBuffer payload) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(magic).putInt(VERSION).putInt(a).putInt(b).putInt((int) crc.getValue()).clear(); // all 32 bytes, the rest reserved (0)
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (head.hasRemaining()) {
                ch.write(head);
            }
            ByteBuffer p = payload.duplicate();
            while (p.hasRemaining()) {
                ch.write(p);
            }
            ch.force(true);
        } catch (IOException e) {
            discard(tmp, e);
            throw e;
        }
        move(tmp, file);
    }

    /** A binary file mapped and checked: its header, and its payload as a little-endian buffer. */
    record Binary(int a, int b, ByteBuffer payload) {
    }

    static Binary readBinary(Path file, int magic, long payloadBytesPerAB) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CorruptIndexException(file.getFileName() + " is missing");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER) {
                throw new CorruptIndexException(file.getFileName() + " is truncated (" + size + " bytes)");
            }
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            if (all.getInt(0) != magic || all.getInt(4) != VERSION) {
                throw new CorruptIndexException(file.getFileName() + " is not an index file of this version");
            }
            int a = all.getInt(8);
            int b = all.getInt(12);
            long expected = HEADER + (long) a * b * payloadBytesPerAB;
            if (a < 0 || b < 0 || size != expected) {
                throw new CorruptIndexException(file.getFileName() + " holds " + size + " bytes, its header says "
                        + expected + " (truncated or corrupted)");
            }
            ByteBuffer payload = all.position(HEADER).slice().order(ByteOrder.LITTLE_ENDIAN);
            CRC32C crc = new CRC32C();
            crc.update(payload.duplicate());
            if ((int) crc.getValue() != all.getInt(16)) {
                throw new CorruptIndexException(file.getFileName() + " fails its checksum (corrupted)");
            }
            return new Binary(a, b, payload);
        }
    }

    static void writeJson(Path file, Object value) throws IOException {
        writeBytes(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    }

    static void writeBytes(Path file, byte[] bytes) throws IOException {
        Folders.writeAtomically(file, bytes, false);
    }

    static long crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    /** Removes a temporary file a failed write left; the write's own failure is what the caller sees. */
    private static void discard(Path tmp, IOException cause) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

package org.openledger.studio.attribution.span;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * One immutable, memory-mapped shard of the span index: the rows' tokens, their suffix array and the row
 * tables (layout in {@link ShardFormat}). Opening checks the header and the payload's CRC32C, so a truncated or
 * corrupted file is refused with a {@link SpanIndexException} rather than answered from.
 *
 * <p>Searching never reads beyond a row: rows are separated by the token {@code vocab}, which no query may
 * contain, so a match stops at the end of its row. Reads are absolute and the shard never changes, so any
 * number of threads may search one shard at once.
 */
public final class SpanShard {

    /** The suffix-array rows {@code [lo, hi)} whose suffixes all start with the same tokens. */
    record Range(long lo, long hi) {
        long size() {
            return hi - lo;
        }

        boolean isEmpty() {
            return hi <= lo;
        }
    }

    private final Path file;
    private final MappedFile map;
    private final ShardFormat format;

    private SpanShard(Path file, MappedFile map, ShardFormat format) {
        this.file = file;
        this.map = map;
        this.format = format;
    }

    /** Writes a shard of {@code rows} to {@code file} atomically (the file is replaced whole or not at all). */
    public static ShardInfo write(Path file, List<SpanRow> rows, int vocab) {
        return SpanShardWriter.write(file, rows, vocab);
    }

    /** Maps {@code file} and checks it whole ({@link #verify()}). */
    public static SpanShard open(Path file) {
        return open(file, MappedFile.DEFAULT_SHIFT);
    }

    static SpanShard open(Path file, int chunkShift) {
        MappedFile map;
        try {
            map = MappedFile.map(file, chunkShift);
        } catch (IOException e) {
            throw new SpanIndexException("cannot map shard " + file + ": " + e.getMessage(), e);
        }
        SpanShard shard = new SpanShard(file, map, readHeader(file, map));
        shard.verify();
        return shard;
    }

    private static ShardFormat readHeader(Path file, MappedFile map) {
        if (map.size() < ShardFormat.HEADER_BYTES) {
            throw new SpanIndexException("shard " + file + " is truncated: " + map.size() + " bytes, no header");
        }
        for (int i = 0; i < ShardFormat.MAGIC.length; i++) {
            if (map.getByte(i) != ShardFormat.MAGIC[i]) {
                throw new SpanIndexException(file + " is not a span shard (bad magic)");
            }
        }
        CRC32C crc = new CRC32C();
        map.update(crc, 0, 60);
        if ((int) crc.getValue() != map.getInt(60)) {
            throw new SpanIndexException("shard " + file + " has a corrupted header (checksum mismatch)");
        }
        int version = map.getInt(8);
        if (version != ShardFormat.VERSION) {
            throw new SpanIndexException("shard " + file + " has format version " + version
                    + "; this build reads version " + ShardFormat.VERSION);
        }
        ShardFormat format = new ShardFormat(map.getInt(16), map.getLong(24), map.getLong(32), map.getLong(40));
        if (format.vocab < 1 || map.getInt(12) != format.width || format.rowCount < 0 || format.tokenCount < 0
                || format.textLength != format.tokenCount + format.rowCount
                || format.textLength > ShardFormat.MAX_POSITIONS || format.rowCount > Integer.MAX_VALUE
                || map.getLong(48) != format.fileLength() - ShardFormat.HEADER_BYTES) {
            throw new SpanIndexException("shard " + file + " has an inconsistent header");
        }
        if (map.size() != format.fileLength()) {
            throw new SpanIndexException("shard " + file + " is " + map.size() + " bytes, its header says "
                    + format.fileLength() + ": truncated or extended");
        }
        return format;
    }

    /**
     * Recomputes the payload's CRC32C and compares it with the header's; reads the whole file once.
     *
     * @throws SpanIndexException when they differ or the row table is out of order
     */
    public void verify() {
        CRC32C crc = new CRC32C();
        map.update(crc, ShardFormat.HEADER_BYTES, map.size());
        if ((int) crc.getValue() != map.getInt(56)) {
            throw new SpanIndexException("shard " + file + " is corrupted (payload checksum mismatch)");
        }
        long previous = -1;
        for (int r = 0; r < rowCount(); r++) {
            long start = rowStart(r);
            if (start <= previous || start >= format.textLength) {
                throw new SpanIndexException("shard " + file + " has a row table out of order at row " + r);
            }
            previous = start;
        }
    }

    public Path file() {
        return file;
    }

    public int vocab() {
        return format.vocab;
    }

    /** Corpus tokens in this shard (separators not counted). */
    public long tokenCount() {
        return format.tokenCount;
    }

    public int rowCount() {
        return (int) format.rowCount;
    }

    public long fileBytes() {
        return map.size();
    }

    public long rowId(int row) {
        return map.getLong(format.rowIdsOffset() + (long) row * Long.BYTES);
    }

    /** The tokens of one row, as written. */
    public int[] rowTokens(int row) {
        long start = rowStart(row);
        long end = (row + 1 < rowCount() ? rowStart(row + 1) : format.textLength) - 1; // minus the separator
        int[] tokens = new int[(int) (end - start)];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = token(start + i);
        }
        return tokens;
    }

    /** How many times {@code ngram} occurs in this shard's rows (overlapping occurrences counted). */
    public long count(int[] ngram) {
        return find(ngram).size();
    }

    /** Up to {@code max} distinct ids of rows that contain {@code ngram}. */
    public List<Long> rows(int[] ngram, int max) {
        Set<Long> ids = new LinkedHashSet<>();
        addRowIds(find(ngram), max, ids);
        return new ArrayList<>(ids);
    }

    /** The range of suffixes starting with {@code ngram}, found one token at a time. */
    Range find(int[] ngram) {
        if (ngram.length == 0) {
            throw new IllegalArgumentException("an n-gram needs at least one token");
        }
        Range range = all();
        for (int k = 0; k < ngram.length && !range.isEmpty(); k++) {
            range = narrow(range, k, checked(ngram[k]));
        }
        return range;
    }

    Range all() {
        return new Range(0, format.tokenCount);
    }

    /**
     * Within {@code range}, whose suffixes share their first {@code depth} tokens, the sub-range whose token at
     * {@code depth} is {@code token}. The suffixes are sorted, so those tokens ascend over the range and two
     * binary searches find where {@code token} starts and where {@code token + 1} starts. A suffix that shares
     * {@code depth} query tokens cannot have run off its row, so position {@code p + depth} exists (at worst it
     * is the row's separator, which is larger than every token).
     */
    Range narrow(Range range, int depth, int token) {
        long lo = firstAtLeast(range.lo(), range.hi(), depth, token);
        long hi = firstAtLeast(lo, range.hi(), depth, token + 1);
        return new Range(lo, hi);
    }

    private long firstAtLeast(long lo, long hi, int depth, int token) {
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (token(suffix(mid) + depth) < token) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Adds the ids of the rows holding the suffixes in {@code range} until {@code into} has {@code max}. */
    void addRowIds(Range range, int max, Set<Long> into) {
        for (long r = range.lo(); r < range.hi() && into.size() < max; r++) {
            into.add(rowId(rowOf(suffix(r))));
        }
    }

    /** The row that holds text position {@code position}: the last row starting at or before it. */
    private int rowOf(long position) {
        int lo = 0;
        int hi = rowCount() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (rowStart(mid) <= position) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    int checked(int token) {
        if (token < 0 || token >= format.vocab) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary [0, " + format.vocab + ")");
        }
        return token;
    }

    long suffix(long rank) {
        return map.getUint40(format.suffixArrayOffset() + rank * ShardFormat.POINTER_BYTES);
    }

    int token(long position) {
        long at = format.tokensOffset() + position * format.width;
        return format.width == 2 ? map.getUnsignedShort(at) : map.getInt(at);
    }

    private long rowStart(int row) {
        return map.getLong(format.rowStartsOffset() + (long) row * Long.BYTES);
    }

    /** Deletes the file; a reader that still holds this shard keeps its mapping (POSIX) until collected. */
    void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public String toString() {
        return "SpanShard[" + file.getFileName() + ", " + rowCount() + " rows, " + tokenCount() + " tokens]";
    }
}

package org.openledger.studio.attribution.span;

import java.nio.charset.StandardCharsets;

/**
 * The byte layout of a shard file, shared by {@link SpanShardWriter} and {@link SpanShard}. All numbers are
 * little-endian.
 *
 * <pre>
 * offset  size  field
 *      0     8  magic "OLSPANIX"
 *      8     4  format version (1)
 *     12     4  token width in bytes: 2 when vocab + 1 &lt;= 65536 (the separator needs an id), else 4
 *     16     4  vocab: token ids are 0..vocab-1; the id vocab separates rows
 *     20     4  zero
 *     24     8  text length T: tokens plus one separator after each row
 *     32     8  token count N (the suffix array's length; suffixes at separators are left out)
 *     40     8  row count R
 *     48     8  payload length (file length - 64)
 *     56     4  CRC32C of the payload
 *     60     4  CRC32C of bytes 0..59
 *     64        text: T tokens of the token width, zero-padded to a multiple of 8
 *               suffix array: N unsigned 40-bit text positions, zero-padded to a multiple of 8
 *               row starts: R longs, the text position of each row's first token
 *               row ids: R longs, the caller's id of each row
 * </pre>
 */
final class ShardFormat {

    static final byte[] MAGIC = "OLSPANIX".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = 64;
    static final int POINTER_BYTES = 5;
    static final long MAX_POSITIONS = 1L << 40;

    final int width;
    final int vocab;
    final long textLength;
    final long tokenCount;
    final long rowCount;

    ShardFormat(int vocab, long textLength, long tokenCount, long rowCount) {
        this.width = widthFor(vocab);
        this.vocab = vocab;
        this.textLength = textLength;
        this.tokenCount = tokenCount;
        this.rowCount = rowCount;
    }

    static int widthFor(int vocab) {
        return vocab + 1L <= 65_536 ? 2 : 4;
    }

    long tokensOffset() {
        return HEADER_BYTES;
    }

    long suffixArrayOffset() {
        return pad(tokensOffset() + textLength * width);
    }

    long rowStartsOffset() {
        return pad(suffixArrayOffset() + tokenCount * POINTER_BYTES);
    }

    long rowIdsOffset() {
        return rowStartsOffset() + rowCount * Long.BYTES;
    }

    long fileLength() {
        return rowIdsOffset() + rowCount * Long.BYTES;
    }

    static long pad(long offset) {
        return (offset + 7) & ~7L;
    }
}

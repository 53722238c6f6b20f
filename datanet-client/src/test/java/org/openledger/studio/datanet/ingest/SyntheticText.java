package org.openledger.studio.datanet.ingest;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * An endless-looking text file produced on the fly: words, lines and blank-line paragraphs (or one line with no break
 * at all), so that gigabyte inputs can be streamed without writing them to disk.
 */
final class SyntheticText extends InputStream {

    private static final String[] WORDS = ("the of and to in is was for on that with as by at from his her "
            + "data model train token weight river stone light \u00e9t\u00e9 na\u00efve caf\u00e9 \u4e2d\u6587 "
            + "garden window market ledger signal").split(" ");

    private final long size;
    private final boolean lineBreaks;
    private final SplittableRandom random = new SplittableRandom(7);
    private long produced;
    private byte[] pending = new byte[0];
    private int pendingPos;

    SyntheticText(long size, boolean lineBreaks) {
        this.size = size;
        this.lineBreaks = lineBreaks;
    }

    private void refill() {
        StringBuilder b = new StringBuilder(4096);
        while (b.length() < 4000) {
            int n = 8 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                b.append(WORDS[random.nextInt(WORDS.length)]).append(i + 1 < n ? " " : "");
            }
            if (lineBreaks) {
                b.append(random.nextInt(5) == 0 ? "\n\n" : "\n");
            } else {
                b.append(". ");
            }
        }
        pending = b.toString().getBytes(StandardCharsets.UTF_8);
        pendingPos = 0;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (produced >= size) {
            return -1;
        }
        if (pendingPos == pending.length) {
            refill();
        }
        int n = (int) Math.min(Math.min(len, pending.length - pendingPos), size - produced);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        produced += n;
        return n;
    }
}

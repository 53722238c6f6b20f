package org.openledger.studio.datanet.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Recognises a binary file handed over as text (an image renamed to .txt, a zip named .csv) from its first bytes,
 * so the user hears "this is a PNG image" instead of a decoding error on line 1.
 */
final class BinaryContent {

    private static final int HEAD = 8192;

    private BinaryContent() {
    }

    /** Wraps {@code in} and throws if it starts like a binary file; the returned stream still starts at byte 0. */
    static InputStream refuseBinary(InputStream in, String fileName, String expected) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(HEAD);
        byte[] head = buffered.readNBytes(HEAD);
        buffered.reset();
        String reason = reason(head);
        if (reason != null) {
            throw new IngestException(fileName + " is not " + expected + ": " + reason);
        }
        return buffered;
    }

    /** Why these first bytes are not text, or null when they may be. */
    static String reason(byte[] head) {
        String magic = magic(head);
        if (magic != null) {
            return "it is " + magic + " (a binary file)";
        }
        int control = 0;
        for (int i = 0; i < head.length; i++) {
            int b = head[i] & 0xFF;
            if (b == 0) {
                return "it contains NUL bytes (byte " + i + "), so it is a binary file";
            }
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
                control++;
            }
        }
        if (head.length > 0 && control * 10 > head.length) {
            return "it is mostly control characters, so it is a binary file";
        }
        return null;
    }

    private static String magic(byte[] h) {
        if (starts(h, 0x89, 'P', 'N', 'G')) {
            return "a PNG image";
        }
        if (starts(h, 0xFF, 0xD8, 0xFF)) {
            return "a JPEG image";
        }
        if (starts(h, 'G', 'I', 'F', '8')) {
            return "a GIF image";
        }
        if (starts(h, '%', 'P', 'D', 'F')) {
            return "a PDF document (name it .pdf)";
        }
        if (starts(h, 'P', 'K', 3, 4)) {
            return "a zip archive (a .docx is one: name it .docx)";
        }
        if (starts(h, 0x7F, 'E', 'L', 'F')) {
            return "an executable";
        }
        if (starts(h, 0xD0, 0xCF, 0x11, 0xE0)) {
            return "an old Microsoft Office document";
        }
        if (starts(h, 0x1F, 0x8B)) {
            return "gzip-compressed (decompress it first)";
        }
        if (h.length >= 2 && ((h[0] == (byte) 0xFF && h[1] == (byte) 0xFE) || (h[0] == (byte) 0xFE && h[1] == (byte) 0xFF))) {
            return "UTF-16 text (save it as UTF-8)";
        }
        return null;
    }

    private static boolean starts(byte[] h, int... magic) {
        if (h.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((h[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}

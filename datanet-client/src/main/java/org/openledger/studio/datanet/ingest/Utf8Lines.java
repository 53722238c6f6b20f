package org.openledger.studio.datanet.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 text line by line from bytes, strictly: a line that is not valid UTF-8 is reported as such (with its
 * number and byte offset) instead of being silently repaired. A line longer than {@code maxLineBytes} comes back in
 * pieces cut at character boundaries, so a file with no line breaks is still read with bounded memory.
 */
final class Utf8Lines {

    /**
     * One line or piece of a line.
     *
     * @param text       the decoded text without the line break, or null when {@code problem} is set
     * @param problem    why the bytes are not text (invalid UTF-8, a NUL byte), or null
     * @param continues  this piece continues the previous one (same line number)
     * @param cut        more pieces of this line follow
     * @param charOffset characters of decoded text before this piece (lines that failed to decode count their bytes)
     */
    record Line(long number, long byteOffset, long charOffset, String text, String problem, boolean continues,
                boolean cut) {
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] readBuffer = new byte[1 << 16];
    private int readPos;
    private int readLimit;
    private byte[] line;
    private int lineLength;
    private long lineNumber;
    private long byteOffset;
    private long charOffset;
    private boolean continuing;
    private boolean atStart = true;
    /** Bytes of a cut character held over to the start of the next piece. */
    private int pendingCarry;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    Utf8Lines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.line = new byte[Math.min(maxLineBytes + 4, 1 << 12)];
    }

    /** Bytes consumed so far. */
    long bytesRead() {
        return byteOffset;
    }

    /** The next line or piece, or null at the end of the input. */
    Line next() throws IOException {
        lineLength = pendingCarry;
        pendingCarry = 0;
        while (true) {
            if (readPos == readLimit) {
                readLimit = in.read(readBuffer);
                readPos = 0;
                if (readLimit <= 0) {
                    readLimit = 0;
                    if (lineLength == 0 && !continuing) {
                        return null;
                    }
                    if (lineLength == 0) {
                        continuing = false;
                        return null;
                    }
                    return finishLine(lineLength, false);
                }
            }
            int start = readPos;
            int end = readLimit;
            int nl = -1;
            for (int i = start; i < end; i++) {
                if (readBuffer[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int take = (nl >= 0 ? nl : end) - start;
            int room = maxLineBytes - lineLength;
            if (take > room) {
                append(start, room);
                readPos = start + room;
                int cut = characterBoundary(lineLength);
                return finishPiece(cut);
            }
            append(start, take);
            readPos = start + take;
            if (nl >= 0) {
                readPos++; // the line break
                return finishLine(lineLength, true);
            }
        }
    }

    private void append(int from, int count) {
        if (lineLength + count > line.length) {
            byte[] bigger = new byte[Math.max(line.length * 2, lineLength + count)];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            line = bigger;
        }
        System.arraycopy(readBuffer, from, line, lineLength, count);
        lineLength += count;
    }

    /** The longest prefix of the line bytes that does not end inside a multi-byte character. */
    private int characterBoundary(int length) {
        int cut = length;
        int back = 0;
        while (cut > 0 && back < 4 && (line[cut - 1] & 0xC0) == 0x80) {
            cut--;
            back++;
        }
        if (cut > 0 && back < 4 && (line[cut - 1] & 0xC0) == 0xC0) {
            int needed = sequenceLength(line[cut - 1]);
            if (needed == back + 1) {
                return length; // the last character is complete
            }
            return cut - 1;
        }
        return length;
    }

    private static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        if (b >= 0xF0) {
            return 4;
        }
        if (b >= 0xE0) {
            return 3;
        }
        return 2;
    }

    private Line finishPiece(int cut) {
        boolean continues = continuing;
        if (!continues) {
            lineNumber++;
        }
        Line result = decode(cut, continues, 0, true);
        // keep the bytes after the cut for the next piece
        int rest = lineLength - cut;
        System.arraycopy(line, cut, line, 0, rest);
        lineLength = 0;
        pendingCarry = rest;
        continuing = true;
        return result;
    }

    private Line finishLine(int length, boolean hadBreak) {
        boolean continues = continuing;
        if (!continues) {
            lineNumber++;
        }
        int len = length;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        Line result = decode(len, continues, hadBreak ? length - len + 1 : length - len, false);
        continuing = false;
        pendingCarry = 0;
        lineLength = 0;
        return result;
    }

    private Line decode(int length, boolean continues, int trailingBytes, boolean cut) {
        int from = 0;
        if (atStart && length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
            from = 3; // byte-order mark
        }
        atStart = false;
        long lineByteOffset = byteOffset;
        long lineCharOffset = charOffset;
        byteOffset += length + trailingBytes;
        for (int i = from; i < length; i++) {
            if (line[i] == 0) {
                charOffset += length - from + trailingBytes;
                return new Line(lineNumber, lineByteOffset, lineCharOffset, null,
                        "a NUL byte at byte " + (lineByteOffset + i) + " (this looks like a binary file, not text)",
                        continues, cut);
            }
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, from, length - from));
            String text = chars.toString();
            charOffset += text.length() + (trailingBytes > 0 ? 1 : 0);
            return new Line(lineNumber, lineByteOffset, lineCharOffset, text, null, continues, cut);
        } catch (CharacterCodingException e) {
            int bad = firstInvalidByte(from, length);
            charOffset += length - from + trailingBytes;
            return new Line(lineNumber, lineByteOffset, lineCharOffset, null,
                    "invalid UTF-8 at byte " + (lineByteOffset + bad) + " (save the file as UTF-8)", continues, cut);
        }
    }

    private int firstInvalidByte(int from, int length) {
        CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(line, from, length - from);
        CharBuffer out = CharBuffer.allocate(length);
        var result = probe.decode(in, out, true);
        return result.isError() ? in.position() : from;
    }
}

package org.openledger.studio.daemon.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A request body on its way from a client to the JDK server, through the {@link HttpFront}: a declared length is
 * copied as it comes; a chunked body is re-framed in canonical chunks of at most {@link #PIECE} bytes (extensions and
 * trailers dropped), each flushed at once, so the JDK never reads a chunk size above that (it reads one into an int)
 * nor waits on a CRLF the client has sent. Where the client's framing breaks, what came before is forwarded and then a
 * chunk size the JDK refuses at once, so the node's code answers the broken body (400 {@code invalid_body}).
 */
final class BodyRelay {

    /** The largest chunk forwarded, and the copy buffer. */
    static final int PIECE = 16 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    /** What the JDK's chunked reader refuses at once ("invalid chunk length"). */
    private static final byte[] BROKEN_CHUNK = "zz\r\n".getBytes(StandardCharsets.US_ASCII);

    private BodyRelay() {
    }

    /** Forwards the body {@code head} announces; false when a chunked body broke its framing (then stop reading). */
    static boolean forward(RequestHead head, InputStream in, OutputStream relayOut, ServerLimits limits)
            throws IOException {
        switch (head.framing()) {
            case LENGTH -> copy(in, relayOut, head.length());
            case CHUNKED -> {
                if (!chunks(in, relayOut, limits)) {
                    relayOut.write(BROKEN_CHUNK);
                    relayOut.flush();
                    return false;
                }
            }
            case NONE -> {
            }
        }
        return true;
    }

    /** Copies {@code n} bytes of a body, each read flushed on at once (a trickled body arrives as it comes). */
    private static void copy(InputStream in, OutputStream relayOut, long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(PIECE, Math.max(1, n))];
        while (n > 0) {
            int got = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (got < 0) {
                throw new EOFException("the client closed inside a body");
            }
            relayOut.write(buf, 0, got);
            relayOut.flush();
            n -= got;
        }
    }

    /** Forwards a chunked body as canonical chunks; false at the first byte that breaks the framing. */
    private static boolean chunks(InputStream in, OutputStream relayOut, ServerLimits limits) throws IOException {
        while (true) {
            String line;
            try {
                line = RequestHead.line(-1, in, 1024, false);
            } catch (ApiException e) {
                return false;
            }
            long size = chunkSize(line);
            if (size < 0) {
                return false;
            }
            if (size == 0) {
                relayOut.write('0');
                relayOut.write(CRLF);
                // trailers are read and dropped: the node uses none
                int bytes = 0;
                for (int lines = 0; ; lines++) {
                    String t;
                    try {
                        t = RequestHead.line(-1, in, 8192, false);
                    } catch (ApiException e) {
                        return false;
                    }
                    if (t.isEmpty()) {
                        break;
                    }
                    bytes += t.length();
                    if (lines >= limits.maxHeaders() || bytes > limits.maxHeaderBytes()) {
                        return false;
                    }
                }
                relayOut.write(CRLF);
                relayOut.flush();
                return true;
            }
            // forwarded in pieces (see above: the JDK reads a chunk size into an int)
            for (long left = size; left > 0; ) {
                long piece = Math.min(left, PIECE);
                relayOut.write((Long.toHexString(piece) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                copy(in, relayOut, piece);
                left -= piece;
                if (left > 0) {
                    relayOut.write(CRLF);
                    relayOut.flush();
                }
            }
            String end;
            try {
                end = RequestHead.line(-1, in, 1, false);
            } catch (ApiException e) {
                return false;
            }
            if (!end.isEmpty()) {
                return false;
            }
            // at once: the JDK's chunked reader takes a chunk's CRLF in the read that ends its data
            relayOut.write(CRLF);
            relayOut.flush();
        }
    }

    /** A chunk-size line: hex digits, optional extensions after ';' (ignored); -1 when it is not one. */
    static long chunkSize(String line) {
        int end = line.indexOf(';');
        String hex = (end < 0 ? line : line.substring(0, end)).strip();
        if (hex.isEmpty() || hex.length() > 15) {
            return -1;
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            size = size * 16 + d;
        }
        return size;
    }
}

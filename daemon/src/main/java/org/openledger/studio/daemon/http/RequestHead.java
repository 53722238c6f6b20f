package org.openledger.studio.daemon.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One request head (request line and header lines) read from the wire by the {@link HttpFront}, checked and written
 * back in canonical form: single spaces, CRLF line ends, one {@code Content-Length} or one
 * {@code Transfer-Encoding: chunked}, no folded lines. Everything the JDK server would refuse with its own HTML page
 * (or by closing the connection) is refused here first, with an {@link ApiException} that becomes a JSON answer; the
 * canonical form leaves the JDK nothing to read differently from this reader (no request can hide in another).
 *
 * @param method    the request's method, as sent (a token)
 * @param canonical the head to forward, ISO-8859-1 bytes ending in an empty line
 * @param framing   how the body is delimited
 * @param length    the body's length for {@link Framing#LENGTH}, else 0
 */
record RequestHead(String method, byte[] canonical, Framing framing, long length) {

    /** How a request's body ends: none, after a declared length, or at the last chunk. */
    enum Framing { NONE, LENGTH, CHUNKED }

    /** The longest request line read; a longer one is a 414. */
    static final int MAX_REQUEST_LINE = 8 * 1024;
    /** Empty lines taken before a request line (a client's stray CRLF after a body). */
    private static final int MAX_LEADING_EMPTY_LINES = 4;

    /**
     * Reads one head whose first byte, {@code first}, was read already.
     *
     * @throws ApiException with the answer for a head that is not a well-formed HTTP/1.x request within the limits
     * @throws EOFException  when the peer closes before the head ends
     */
    static RequestHead read(int first, InputStream in, ServerLimits limits) throws IOException {
        int headerCap = limits.maxHeaderBytes() + 4 * limits.maxHeaders() + 2;
        String requestLine = null;
        int pending = first;
        for (int empty = 0; requestLine == null; empty++) {
            String line = line(pending, in, MAX_REQUEST_LINE, true);
            pending = -1;
            if (!line.isEmpty()) {
                requestLine = line;
            } else if (empty >= MAX_LEADING_EMPTY_LINES) {
                throw invalidLine("The request begins with empty lines, not a request line");
            }
        }
        StringBuilder out = new StringBuilder(requestLine.length() + 256);
        String method = requestLine(requestLine, out);
        int count = 0;
        long bytes = 0;
        int read = 0;
        String contentLength = null;
        String transferEncoding = null;
        while (true) {
            String line = line(-1, in, Math.max(1, headerCap - read), false);
            read += line.length() + 2;
            if (line.isEmpty()) {
                break;
            }
            char c0 = line.charAt(0);
            if (c0 == ' ' || c0 == '\t') {
                throw badHeader("A header line is folded onto the one before it (obsolete line folding)");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw badHeader("A header line has no name before its ':'");
            }
            String name = line.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                if (!isTokenChar(name.charAt(i))) {
                    throw badHeader("The header name '" + printable(name) + "' is not a token (letters, digits and"
                            + " !#$%&'*+-.^_`|~)");
                }
            }
            String value = trimOws(line.substring(colon + 1));
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw badHeader("The value of the header " + name + " holds a control character");
                }
            }
            count++;
            bytes += name.length() + value.length() + 4;
            if (count > limits.maxHeaders() || bytes > limits.maxHeaderBytes()) {
                throw tooLarge(count, bytes, limits);
            }
            if (name.equalsIgnoreCase("Content-Length")) {
                if (contentLength != null && !contentLength.equals(value)) {
                    throw framing("The request has two different Content-Length headers");
                }
                contentLength = value;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                if (transferEncoding != null) {
                    throw framing("The request has more than one Transfer-Encoding header");
                }
                transferEncoding = value;
            } else {
                out.append(name).append(": ").append(value).append("\r\n");
            }
        }
        Framing framing = Framing.NONE;
        long length = 0;
        if (transferEncoding != null) {
            if (contentLength != null) {
                throw framing("The request has both Content-Length and Transfer-Encoding");
            }
            if (!transferEncoding.equalsIgnoreCase("chunked")) {
                throw new ApiException(501, "invalid_request_error", "unsupported_transfer_encoding",
                        "This node reads bodies sent as they are or chunked, not Transfer-Encoding '"
                                + printable(transferEncoding) + "'");
            }
            framing = Framing.CHUNKED;
            out.append("Transfer-Encoding: chunked\r\n");
        } else if (contentLength != null) {
            length = declaredLength(contentLength);
            framing = length == 0 ? Framing.NONE : Framing.LENGTH;
            out.append("Content-Length: ").append(length).append("\r\n");
        }
        out.append("\r\n");
        return new RequestHead(method, out.toString().getBytes(StandardCharsets.ISO_8859_1), framing, length);
    }

    /** Checks {@code METHOD SP TARGET SP HTTP/1.x} and writes it, with its CRLF, to {@code out}; returns the method. */
    private static String requestLine(String line, StringBuilder out) {
        int a = line.indexOf(' ');
        int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
        if (a <= 0 || b < 0 || b == a + 1 || line.indexOf(' ', b + 1) >= 0 || b == line.length() - 1) {
            throw invalidLine("The request line must be METHOD TARGET HTTP/1.1, with one space between the three");
        }
        String method = line.substring(0, a);
        String target = line.substring(a + 1, b);
        String protocol = line.substring(b + 1);
        for (int i = 0; i < method.length(); i++) {
            if (!isTokenChar(method.charAt(i))) {
                throw invalidLine("The method '" + printable(method) + "' is not a token");
            }
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw badTarget("The request target holds a byte that is not printable ASCII (0x"
                        + Integer.toHexString(c) + "); escape it with %");
            }
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw badTarget("The request target '" + printable(target) + "' is not a URI: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        // what the JDK routes on: a target whose path does not begin with '/' ("//host", "*", "http://host") would
        // be its own HTML 404
        boolean absolute = uri.getScheme() != null;
        if (absolute && !uri.getScheme().equalsIgnoreCase("http") && !uri.getScheme().equalsIgnoreCase("https")) {
            throw badTarget("The request target must be a path beginning with '/' (or an http URL)");
        }
        if ((!absolute && !target.startsWith("/")) || uri.getRawPath() == null || !uri.getRawPath().startsWith("/")
                || (!absolute && target.startsWith("//"))) {
            throw badTarget("The request target must be a path beginning with one '/'");
        }
        checkProtocol(protocol);
        out.append(method).append(' ').append(target).append(' ').append(protocol.toUpperCase(Locale.ROOT))
                .append("\r\n");
        return method;
    }

    /** @throws ApiException 400 or 505 for a protocol that is not HTTP/1.0 or HTTP/1.1 */
    static void checkProtocol(String protocol) {
        if ("HTTP/1.1".equalsIgnoreCase(protocol) || "HTTP/1.0".equalsIgnoreCase(protocol)) {
            return;
        }
        if (protocol != null && protocol.matches("(?i)HTTP/\\d(\\.\\d)?")) {
            throw new ApiException(505, "invalid_request_error", "http_version_not_supported",
                    "This node speaks HTTP/1.1 (and 1.0), not " + protocol);
        }
        throw invalidLine("The request line must be METHOD TARGET HTTP/1.1");
    }

    private static long declaredLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            throw framing("Content-Length must be a number of bytes (at most 18 digits), not '" + printable(value)
                    + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw framing("Content-Length must be a number of bytes, not '" + printable(value) + "'");
            }
        }
        return Long.parseLong(value);
    }

    /**
     * One line, without its CRLF (a bare LF ends a line too; a CR anywhere else is refused), in ISO-8859-1. At most
     * {@code max} characters: a longer request line is a 414, longer headers a 431.
     */
    static String line(int first, InputStream in, int max, boolean requestLine) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c = first >= 0 ? first : in.read();
        while (true) {
            if (c < 0) {
                throw new EOFException("the peer closed the connection inside a request head");
            }
            if (c == '\n') {
                break;
            }
            if (c == '\r') {
                int n = in.read();
                if (n == '\n') {
                    break;
                }
                throw requestLine ? invalidLine("A bare CR in the request line") : badHeader("A bare CR in a header "
                        + "line");
            }
            if (c == 0) {
                throw requestLine ? invalidLine("A NUL byte in the request line") : badHeader("A NUL byte in a "
                        + "header line");
            }
            if (b.size() >= max) {
                if (requestLine) {
                    throw new ApiException(414, "invalid_request_error", "request_line_too_long",
                            "The request line is longer than " + max + " bytes");
                }
                throw new ApiException(431, "invalid_request_error", "headers_too_large",
                        "The request's headers are longer than this node reads");
            }
            b.write(c);
            c = in.read();
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String trimOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** At most 80 characters, with anything not printable ASCII as '?', fit to go into a message. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }

    private static ApiException tooLarge(int count, long bytes, ServerLimits limits) {
        return new ApiException(431, "invalid_request_error", "headers_too_large", "The request has " + count
                + " header lines in " + bytes + " bytes or more; this node takes at most " + limits.maxHeaders()
                + " in " + limits.maxHeaderBytes() + " bytes");
    }

    private static ApiException invalidLine(String message) {
        return new ApiException(400, "invalid_request_error", "invalid_request_line", message);
    }

    private static ApiException badTarget(String message) {
        return new ApiException(400, "invalid_request_error", "invalid_request_target", message);
    }

    private static ApiException badHeader(String message) {
        return new ApiException(400, "invalid_request_error", "invalid_header", message);
    }

    private static ApiException framing(String message) {
        return new ApiException(400, "invalid_request_error", "invalid_body_framing", message);
    }
}

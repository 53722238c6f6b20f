package org.openledger.studio.daemon.http;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The checks on a request's line and headers that the JDK server does not make, made before any route is looked up
 * so that every refusal is the node's JSON error. The JDK decodes {@code %C0%AF} into replacement characters and
 * serves {@code HTTP/9.9}; here the raw path and query are decoded strictly (percent escapes must spell UTF-8; no
 * control characters in a path, no NUL in a query) and the protocol must be HTTP/1.0 or 1.1.
 *
 * <p>What the JDK refuses itself (a request line without two spaces, a target {@link java.net.URI} rejects, such as
 * {@code %zz}, an illegal header name, {@code Content-Length} that is not a non-negative number or comes with
 * {@code Transfer-Encoding}, a transfer coding other than chunked) it answers with its own HTML page before any code
 * of the node runs; headers beyond its own limits (200 of them, 380 KiB) close the connection unanswered; a raw space
 * in the target cuts it there, the rest read as the protocol, unseen by the node. See decision 0022.
 */
final class RequestTarget {

    /** Headers a request may carry, by count and by bytes (names + values); beyond them a 431. */
    static final int MAX_HEADERS = 100;
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private RequestTarget() {
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
        throw new ApiException(400, "invalid_request_error", "invalid_request_line",
                "The request line must be METHOD TARGET HTTP/1.1");
    }

    /** @throws ApiException 431 for more headers, or more header bytes, than the node reads */
    static void checkHeaders(Headers headers) {
        int count = 0;
        long bytes = 0;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            for (String v : e.getValue()) {
                count++;
                bytes += (e.getKey() == null ? 0 : e.getKey().length()) + (v == null ? 0 : v.length()) + 4;
            }
        }
        if (count > MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
            throw new ApiException(431, "invalid_request_error", "headers_too_large", "The request has " + count
                    + " headers of " + bytes + " bytes; the node reads at most " + MAX_HEADERS + " headers of "
                    + MAX_HEADER_BYTES + " bytes in all");
        }
    }

    /**
     * The path of a raw (still percent-encoded) target, decoded strictly.
     *
     * @throws ApiException 400 {@code invalid_path} for an escape that is not UTF-8 or a control character
     */
    static String path(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        String decoded = decode(rawPath, false, true);
        if (decoded == null) {
            throw new ApiException(400, "invalid_request_error", "invalid_path",
                    "The path's percent escapes must spell UTF-8 text without control characters");
        }
        return decoded;
    }

    /**
     * One name or value of a query, decoded strictly ({@code +} is a space, as HTML forms send it).
     *
     * @throws ApiException 400 naming the query for an escape that is not UTF-8 or a control character
     */
    static String queryPart(String raw) {
        String decoded = decode(raw, true, false);
        if (decoded == null) {
            throw new ApiException(400, "invalid_request_error", "invalid_query", "query",
                    "The query's percent escapes must spell UTF-8 text without NUL characters");
        }
        return decoded;
    }

    /**
     * The decoded text, or null when an escape is malformed, the bytes are not UTF-8, or a NUL (any control character
     * with {@code noControls}: a path has no use for one, a query value may hold a newline) shows.
     */
    private static String decode(String raw, boolean plusIsSpace, boolean noControls) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // the JDK's URI allows other characters unescaped; kept as their UTF-8
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || noControls && (c < 0x20 || c == 0x7f)) {
                return null;
            }
        }
        return text;
    }
}

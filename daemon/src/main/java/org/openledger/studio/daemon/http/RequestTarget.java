package org.openledger.studio.daemon.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The strict decoding of a request's path and query, which the JDK server does not make: it decodes {@code %C0%AF}
 * into replacement characters. Here percent escapes must spell UTF-8; no control characters in a path, no NUL in a
 * query. The request line, the headers and the body framing were checked before, by {@link RequestHead} in the
 * {@link HttpFront}. See decisions 0022 and 0032.
 */
final class RequestTarget {

    private RequestTarget() {
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

package org.openledger.studio.daemon.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks the {@code Authorization: Bearer} token in constant time: both sides are hashed with SHA-256 first, so the
 * comparison ({@link MessageDigest#isEqual}, which does not stop at the first differing byte) always runs over 32
 * bytes and tells nothing about the token's length or prefix.
 */
public final class TokenCheck {

    private final byte[] expected;
    /** What a request is counted under for its rate: a hash prefix of the token, never the token. */
    private final String key;

    public TokenCheck(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the node needs a non-empty token");
        }
        this.expected = sha256(token.getBytes(StandardCharsets.UTF_8));
        this.key = "token:" + HexFormat.of().formatHex(expected, 0, 8);
    }

    public boolean accepts(String authorizationHeader) {
        return keyOf(authorizationHeader) != null;
    }

    /** The key of the token the header carries (for per-token limits), or null when it carries no accepted token. */
    public String keyOf(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        byte[] given = sha256(authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(expected, given) ? key : null;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}

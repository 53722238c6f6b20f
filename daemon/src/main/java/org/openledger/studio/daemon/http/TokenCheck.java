package org.openledger.studio.daemon.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks the {@code Authorization: Bearer} token in constant time. */
public final class TokenCheck {

    private final byte[] expected;

    public TokenCheck(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the node needs a non-empty token");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }
}

package org.openledger.studio.api;

/**
 * Answer of {@code GET /health}: the only endpoint that needs no token.
 *
 * @param tlsSha256 over TLS, the SHA-256 fingerprint of the node's certificate (what clients pin); null over HTTP.
 *                  A client compares it with what the operator published, never trusts it for itself: it arrives
 *                  over the very connection it would vouch for.
 */
public record Health(String status, String version, String tlsSha256) {

    public Health(String status, String version) {
        this(status, version, null);
    }
}

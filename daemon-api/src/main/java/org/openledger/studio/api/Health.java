package org.openledger.studio.api;

/** Answer of {@code GET /health}: the only endpoint that needs no token. */
public record Health(String status, String version) {
}

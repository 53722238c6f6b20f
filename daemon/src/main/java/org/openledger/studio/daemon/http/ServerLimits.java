package org.openledger.studio.daemon.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the node waits for a slow peer and how many of its requests it serves at once, so that a few idle or
 * trickling sockets never hold every worker.
 *
 * @param headerTimeout           from a request's first byte until its headers are read
 * @param stallTimeout            the longest wait for any one read of a body or write of an answer (a peer that
 *                                sends or reads nothing for this long is cut off; uploads stream, so only stalls count)
 * @param jsonBodyTimeout         the longest a JSON body may take to arrive, however it trickles
 * @param maxRequestsPerAddress   requests of one remote address served at once; beyond it, 429 and the connection
 *                                closes ({@code GET /health} is never refused)
 * @param workers                 the most HTTP worker threads (made as needed, dropped when idle)
 */
public record ServerLimits(Duration headerTimeout, Duration stallTimeout, Duration jsonBodyTimeout,
                           int maxRequestsPerAddress, int workers) {

    public ServerLimits {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(jsonBodyTimeout, "jsonBodyTimeout");
        if (headerTimeout.isNegative() || headerTimeout.isZero() || stallTimeout.isNegative() || stallTimeout.isZero()
                || jsonBodyTimeout.isNegative() || jsonBodyTimeout.isZero()) {
            throw new IllegalArgumentException("time-outs must be positive");
        }
        if (maxRequestsPerAddress < 1 || workers < 2) {
            throw new IllegalArgumentException("at least 1 request per address and 2 workers");
        }
    }

    /** 10 s for headers, 30 s per stalled read or write, 60 s for a JSON body, 32 requests per address, 256 workers. */
    public static ServerLimits defaults() {
        return new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), 32, 256);
    }
}

package org.openledger.studio.daemon.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the node waits for a slow peer, how many of its requests it serves at once, how large a request may be and
 * how fast one token may send them, so that a few idle, trickling or flooding clients never hold every worker.
 *
 * @param headerTimeout           from a request's first byte until its headers are read
 * @param stallTimeout            the longest wait for any one read of a body or write of an answer (a peer that
 *                                sends or reads nothing for this long is cut off; uploads stream, so only stalls count)
 * @param jsonBodyTimeout         the longest a JSON body may take to arrive, however it trickles
 * @param maxRequestsPerAddress   requests of one remote address served at once; beyond it, 429 and the connection
 *                                closes ({@code GET /health} is never refused)
 * @param workers                 the most HTTP worker threads (made as needed, dropped when idle)
 * @param maxHeaders              header lines a request may carry (beyond: 431)
 * @param maxHeaderBytes          bytes of all header names and values together (beyond: 431)
 * @param maxJsonBody             bytes of a JSON body (every method but PUT; beyond: 413)
 * @param maxUploadBody           bytes of a streamed upload (PUT; beyond: 413; endpoints may allow less)
 * @param requestsPerSecond       the rate one token's requests are refilled at (token bucket); 0 for no limit
 * @param burst                   requests one token may send at once before the rate applies
 */
public record ServerLimits(Duration headerTimeout, Duration stallTimeout, Duration jsonBodyTimeout,
                           int maxRequestsPerAddress, int workers, int maxHeaders, int maxHeaderBytes,
                           long maxJsonBody, long maxUploadBody, double requestsPerSecond, int burst) {

    public static final int DEFAULT_MAX_HEADERS = 64;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final long DEFAULT_MAX_JSON_BODY = 16L * 1024 * 1024;
    public static final long DEFAULT_MAX_UPLOAD_BODY = 2L * 1024 * 1024 * 1024;
    /** Off in {@link #defaults()} (embedded node, tests); {@code studio daemon} turns it on (its --rate-limit). */
    public static final double DEFAULT_REQUESTS_PER_SECOND = 0;
    public static final int DEFAULT_BURST = 400;

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
        if (maxHeaders < 8 || maxHeaderBytes < 1024 || maxJsonBody < 1024 || maxUploadBody < 1024) {
            throw new IllegalArgumentException("at least 8 headers, 1 KiB of headers and 1 KiB bodies");
        }
        if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond) || burst < 1) {
            throw new IllegalArgumentException("the request rate must be 0 (no limit) or positive, the burst at "
                    + "least 1");
        }
    }

    /** The time-outs and worker counts of the slow-peer limits, with the default sizes and rate. */
    public ServerLimits(Duration headerTimeout, Duration stallTimeout, Duration jsonBodyTimeout,
                        int maxRequestsPerAddress, int workers) {
        this(headerTimeout, stallTimeout, jsonBodyTimeout, maxRequestsPerAddress, workers, DEFAULT_MAX_HEADERS,
                DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_JSON_BODY, DEFAULT_MAX_UPLOAD_BODY, DEFAULT_REQUESTS_PER_SECOND,
                DEFAULT_BURST);
    }

    /**
     * 10 s for headers, 30 s per stalled read or write, 60 s for a JSON body, 32 requests per address, 256 workers,
     * 64 headers in 16 KiB, 16 MiB JSON bodies, 2 GiB uploads, no rate per token.
     */
    public static ServerLimits defaults() {
        return new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), 32, 256);
    }

    /** The same limits with other header limits. */
    public ServerLimits withHeaders(int count, int bytes) {
        return new ServerLimits(headerTimeout, stallTimeout, jsonBodyTimeout, maxRequestsPerAddress, workers, count,
                bytes, maxJsonBody, maxUploadBody, requestsPerSecond, burst);
    }

    /** The same limits with other body limits. */
    public ServerLimits withBodies(long json, long upload) {
        return new ServerLimits(headerTimeout, stallTimeout, jsonBodyTimeout, maxRequestsPerAddress, workers,
                maxHeaders, maxHeaderBytes, json, upload, requestsPerSecond, burst);
    }

    /** The same limits with another rate per token ({@code perSecond} 0: no limit). */
    public ServerLimits withRate(double perSecond, int burstOf) {
        return new ServerLimits(headerTimeout, stallTimeout, jsonBodyTimeout, maxRequestsPerAddress, workers,
                maxHeaders, maxHeaderBytes, maxJsonBody, maxUploadBody, perSecond, burstOf);
    }
}

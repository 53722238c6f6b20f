package org.openledger.studio.gpu.generate;

/**
 * The scheduler's queue holds as many waiting requests as it may; the client should retry after
 * {@link #retryAfterSeconds()} (the daemon answers HTTP 429 with Retry-After).
 */
public final class QueueFullException extends RuntimeException {

    private final int retryAfterSeconds;

    public QueueFullException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

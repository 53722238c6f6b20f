package org.openledger.studio.attribution.span;

/**
 * A span index or shard that cannot be used: a file that is truncated, corrupted, of another format version or
 * vocabulary, or that cannot be written. Thrown instead of answering from damaged data.
 */
public class SpanIndexException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SpanIndexException(String message) {
        super(message);
    }

    public SpanIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}

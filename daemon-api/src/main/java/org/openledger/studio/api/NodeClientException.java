package org.openledger.studio.api;

/** A call to a node that did not succeed; {@link #kind()} says whether the node was reached at all. */
public class NodeClientException extends RuntimeException {

    /** What kind of failure: the UI words its message by it. */
    public enum Kind {
        /** No connection: wrong address, node down, network or TLS failure, timeout. */
        UNREACHABLE,
        /** The node refused the token. */
        UNAUTHORIZED,
        /** The node answered with an error status and (usually) a JSON error body. */
        HTTP_ERROR,
        /** The node answered something that is not the protocol (not a studio node?). */
        BAD_RESPONSE
    }

    private final Kind kind;
    private final int status;
    private final ApiError error;

    public NodeClientException(Kind kind, int status, ApiError error, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.error = error;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, or 0 when the node was not reached. */
    public int status() {
        return status;
    }

    /** The node's error body, or null. */
    public ApiError error() {
        return error;
    }
}

package org.openledger.studio.daemon;

/** The node could not start; the message tells the operator what to change. */
public class NodeStartException extends RuntimeException {
    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

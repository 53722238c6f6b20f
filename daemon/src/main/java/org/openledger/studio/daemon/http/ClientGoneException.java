package org.openledger.studio.daemon.http;

import java.io.IOException;

/**
 * The client's connection failed while the node read its request or wrote its answer: it went away, or it sent or
 * read nothing for longer than the node waits. Not the node's fault: logged at debug and counted as status 499.
 */
public final class ClientGoneException extends IOException {

    ClientGoneException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The client closed its connection before its answer was ready ({@link Request#clientGone()}). */
    public static ClientGoneException beforeTheAnswer() {
        return new ClientGoneException("the client closed its connection before the answer was ready", null);
    }

    /** Whether {@code t} or one of its causes is a client gone. */
    static boolean in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ClientGoneException) {
                return true;
            }
        }
        return false;
    }
}

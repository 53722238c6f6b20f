package org.openledger.studio.daemon.http;

import java.io.IOException;

/**
 * The request's body broke its own framing (a chunk size that is not hex, a chunk without its CRLF): the client's
 * fault, answered 400 {@code invalid_body}, never counted as a client gone or a 500. The JDK's chunked reader reports
 * these as plain {@link IOException}s whose messages start "invalid chunk"; a socket failure never does.
 */
public final class MalformedBodyException extends IOException {

    MalformedBodyException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code e}, a failure of the JDK's body stream, is a framing error of the body itself. */
    static boolean isFraming(IOException e) {
        return e.getClass() == IOException.class && e.getMessage() != null
                && e.getMessage().startsWith("invalid chunk");
    }

    /** The framing error in {@code t} or one of its causes, or null. */
    static MalformedBodyException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof MalformedBodyException m) {
                return m;
            }
        }
        return null;
    }
}

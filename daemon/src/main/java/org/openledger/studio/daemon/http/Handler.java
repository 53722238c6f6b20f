package org.openledger.studio.daemon.http;

/**
 * One endpoint. Handlers are thin: parse the request, call an engine, map the result. They throw
 * {@link ApiException} for errors the client caused.
 */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}

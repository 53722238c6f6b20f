package org.openledger.studio.api;

/**
 * Events a node sends one at a time (a streamed chat, a job's progress), read until the stream ends. What the
 * view-models read, so a test can hand them its own events; {@link EventStream} is the node's over HTTP.
 */
public interface Events<T> extends AutoCloseable {

    /**
     * The next event, or null once the stream has ended or was closed.
     *
     * @throws NodeClientException when the node reports an error mid-stream, or the connection breaks
     */
    T next();

    /** Stops the stream; may be called from another thread, and a blocked {@link #next()} then returns null. */
    @Override
    void close();
}

package org.openledger.studio.ui.nodes;

/** The node the studio runs on this computer (started by the composition root, e.g. as a child process). */
public interface LocalNode {

    /** Starts the node and waits until it answers; called on a background thread. */
    NodeEndpoint start() throws Exception;

    /** Stops the node gracefully; safe to call when it never started. */
    void stop();
}

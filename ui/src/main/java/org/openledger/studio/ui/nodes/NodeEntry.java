package org.openledger.studio.ui.nodes;

import java.net.URI;

/**
 * A node the studio knows: the local one or a remote one the user added.
 *
 * @param id    {@code local}, or a generated id for remote nodes
 * @param name  the name the user gave it
 * @param url   its base URL (null for the local node until it has started)
 * @param token its access token, or null
 * @param local whether it is the node this studio runs
 */
public record NodeEntry(String id, String name, URI url, String token, boolean local) {

    @Override
    public String toString() {
        return "NodeEntry[" + id + ", " + name + ", " + url + "]";
    }
}

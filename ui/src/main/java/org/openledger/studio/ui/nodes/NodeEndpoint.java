package org.openledger.studio.ui.nodes;

import java.net.URI;
import java.util.Objects;

/** Where a node listens and the token it wants. The token is never shown or logged. */
public record NodeEndpoint(URI url, String token) {

    public NodeEndpoint {
        Objects.requireNonNull(url);
    }

    @Override
    public String toString() {
        return "NodeEndpoint[" + url + "]";
    }
}

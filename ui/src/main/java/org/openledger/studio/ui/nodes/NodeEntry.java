package org.openledger.studio.ui.nodes;

import java.net.URI;
import org.openledger.studio.api.tls.CertificatePin;

/**
 * A node the studio knows: the local one or a remote one the user added.
 *
 * @param id    {@code local}, or a generated id for remote nodes
 * @param name  the name the user gave it
 * @param url   its base URL (null for the local node until it has started)
 * @param token its access token, or null
 * @param local whether it is the node this studio runs
 * @param tlsPin the TLS certificate accepted for an https node (only it is trusted), or null (http, or an https
 *              node added before pinning, trusted through the JDK's CAs)
 */
public record NodeEntry(String id, String name, URI url, String token, boolean local, CertificatePin tlsPin) {

    public NodeEntry(String id, String name, URI url, String token, boolean local) {
        this(id, name, url, token, local, null);
    }

    @Override
    public String toString() {
        return "NodeEntry[" + id + ", " + name + ", " + url + (tlsPin == null ? "" : ", TLS " + tlsPin) + "]";
    }
}

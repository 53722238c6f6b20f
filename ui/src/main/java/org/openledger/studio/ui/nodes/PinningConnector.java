package org.openledger.studio.ui.nodes;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.api.tls.NodeTrust;

/**
 * The studio's clients of nodes: over one shared {@link OkHttpClient}, and for a pinned https node over a copy of it
 * that trusts only that certificate (made once per pin, so the polls of the active node reuse it).
 */
public final class PinningConnector implements NodesViewModel.Connector<NodeClient> {

    private final OkHttpClient http;
    private final Map<CertificatePin, OkHttpClient> pinned = new ConcurrentHashMap<>();

    public PinningConnector(OkHttpClient http) {
        this.http = http;
    }

    @Override
    public NodeClient connect(URI url, String token) {
        return new NodeClient(http, url, token);
    }

    @Override
    public NodeClient connect(URI url, String token, CertificatePin tlsPin) {
        if (tlsPin == null) {
            return connect(url, token);
        }
        return new NodeClient(pinned.computeIfAbsent(tlsPin, p -> NodeTrust.http(http, p)), url, token);
    }
}

package org.openledger.studio.daemon.handlers;

import org.openledger.studio.api.Health;
import org.openledger.studio.api.VersionInfo;
import org.openledger.studio.api.Wire;
import org.openledger.studio.daemon.NodeDescription;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;
import org.openledger.studio.daemon.metrics.Metrics;

/** Endpoints about the node itself: health, version, description, metrics. */
public final class SystemHandlers {

    private final String version;
    private final NodeDescription description;
    private final Metrics metrics;
    private final String tlsSha256;

    public SystemHandlers(String version, NodeDescription description, Metrics metrics) {
        this(version, description, metrics, null);
    }

    /** @param tlsSha256 the fingerprint of the node's TLS certificate, shown by {@code /health}; null over HTTP */
    public SystemHandlers(String version, NodeDescription description, Metrics metrics, String tlsSha256) {
        this.tlsSha256 = tlsSha256;
        this.version = version;
        this.description = description;
        this.metrics = metrics;
    }

    public void register(Router router) {
        router.addOpen("GET", "/health", req -> Response.json(new Health("ok", version, tlsSha256)));
        router.add("GET", "/v1/version", req -> Response.json(
                new VersionInfo(version, Wire.API_VERSION, System.getProperty("java.version"))));
        router.add("GET", "/v1/node", req -> Response.json(description.describe()));
        router.add("GET", "/metrics", req -> Response.text("text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape()));
    }
}

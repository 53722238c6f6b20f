package org.openledger.studio.daemon;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.openledger.studio.daemon.http.ServerLimits;
import org.openledger.studio.daemon.tls.NodeCertificate;

/**
 * How a node is started.
 *
 * @param host         address to bind; loopback unless the operator chooses otherwise
 * @param port         port to bind, 0 for any free one
 * @param dataDir      the node's data folder
 * @param token        the token every request but health must carry
 * @param name         a human name for this node
 * @param drainTimeout how long a shutdown waits for requests in flight
 * @param limits       how long the HTTP server waits for slow peers and how many requests of one address it serves
 * @param tls          the certificate the node serves HTTPS with; null for plain HTTP (the embedded loopback node)
 */
public record NodeConfig(InetAddress host, int port, Path dataDir, String token, String name, Duration drainTimeout,
                         ServerLimits limits, NodeCertificate tls) {

    /** A node over plain HTTP. */
    public NodeConfig(InetAddress host, int port, Path dataDir, String token, String name, Duration drainTimeout,
                      ServerLimits limits) {
        this(host, port, dataDir, token, name, drainTimeout, limits, null);
    }

    /** The same node over HTTPS with {@code certificate}. */
    public NodeConfig withTls(NodeCertificate certificate) {
        return new NodeConfig(host, port, dataDir, token, name, drainTimeout, limits, certificate);
    }

    /** The same node with other limits. */
    public NodeConfig withLimits(ServerLimits other) {
        return new NodeConfig(host, port, dataDir, token, name, drainTimeout, other, tls);
    }

    /** A node with the default {@link ServerLimits}. */
    public NodeConfig(InetAddress host, int port, Path dataDir, String token, String name, Duration drainTimeout) {
        this(host, port, dataDir, token, name, drainTimeout, ServerLimits.defaults());
    }

    public NodeConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a node always needs a token");
        }
    }

    /** Hides the token so that a config never leaks it into a log. */
    @Override
    public String toString() {
        return "NodeConfig[host=" + host.getHostAddress() + ", port=" + port + ", dataDir=" + dataDir + ", name=" + name
                + (tls == null ? "" : ", tls=" + tls.pin()) + "]";
    }
}

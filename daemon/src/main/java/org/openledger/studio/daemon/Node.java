package org.openledger.studio.daemon;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import org.openledger.studio.daemon.handlers.SystemHandlers;
import org.openledger.studio.daemon.http.HttpNodeServer;
import org.openledger.studio.daemon.http.Router;
import org.openledger.studio.daemon.http.TokenCheck;
import org.openledger.studio.daemon.metrics.Metrics;
import org.openledger.studio.store.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: its store, its routes and its HTTP server. {@link #start} wires the parts; {@link #close} stops
 * them in reverse order, letting requests in flight finish.
 */
public final class Node implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final NodeStore store;
    private final HttpNodeServer server;
    private final String nodeId;

    private final NodeServices services;

    private Node(NodeStore store, HttpNodeServer server, String nodeId, NodeServices services) {
        this.services = services;
        this.store = store;
        this.server = server;
        this.nodeId = nodeId;
    }

    /**
     * Starts a node.
     *
     * @param services feature routes, devices, capabilities and resources from the composition root
     * @throws NodeStartException with a message for the operator when the folder or the port cannot be used
     */
    public static Node start(NodeConfig config, String version, NodeServices services) {
        Folders.ensureWritable(config.dataDir());
        NodeStore store = NodeStore.open(config.dataDir());
        try {
            Instant started = Instant.now();
            String nodeId = store.nodeId();
            long starts = store.recordStart(started.toString(), version);
            Metrics metrics = new Metrics(version, started, services.metrics());
            NodeDescription description = new NodeDescription(nodeId, config.name(), version, started,
                    config.dataDir().toString(), Clock.systemUTC(), services);
            Router router = new Router();
            String fingerprint = config.tls() == null ? null : config.tls().pin().fingerprint();
            new SystemHandlers(version, description, metrics, fingerprint).register(router);
            services.routes().accept(router);
            InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
            HttpNodeServer server;
            try {
                server = HttpNodeServer.start(address, router, new TokenCheck(config.token()), metrics,
                        config.limits(), config.drainTimeout(),
                        config.tls() == null ? null : config.tls().serverContext());
            } catch (BindException e) {
                throw new NodeStartException("Port " + config.port() + " on " + config.host().getHostAddress()
                        + " is already in use (or not allowed); choose another with --port, or 0 for any free port", e);
            } catch (IOException e) {
                throw new NodeStartException("Cannot listen on " + config.host().getHostAddress() + ":" + config.port()
                        + ": " + e.getMessage(), e);
            }
            Node node = new Node(store, server, nodeId, services);
            log.info("Node {} listening on {} (start #{}, data in {}){}", nodeId, server.url(), starts,
                    config.dataDir(), fingerprint == null ? "" : ", TLS certificate SHA-256 " + fingerprint);
            return node;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public URI url() {
        return server.url();
    }

    public int port() {
        return server.address().getPort();
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public void close() {
        log.info("Node {} stopping", nodeId);
        server.close();
        var resources = new java.util.ArrayList<>(services.resources());
        java.util.Collections.reverse(resources);
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                log.warn("Closing {} failed: {}", r, e.getMessage());
            }
        }
        store.close();
        log.info("Node {} stopped", nodeId);
    }
}

package org.openledger.studio.daemon.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openledger.studio.api.ApiError;
import org.openledger.studio.api.Wire;
import org.openledger.studio.daemon.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server: the JDK's {@code com.sun.net.httpserver} with one dispatcher in front of a {@link Router}.
 * It checks the token, turns exceptions into JSON errors, records metrics and stops gracefully.
 */
public final class HttpNodeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpNodeServer.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final Router router;
    private final TokenCheck tokens;
    private final Metrics metrics;
    private final Duration drainTimeout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;
    private volatile boolean closed;

    private HttpNodeServer(HttpServer server, ExecutorService workers, Router router, TokenCheck tokens,
                           Metrics metrics, Duration drainTimeout) {
        this.server = server;
        this.workers = workers;
        this.router = router;
        this.tokens = tokens;
        this.metrics = metrics;
        this.drainTimeout = drainTimeout;
    }

    /**
     * Binds {@code address} and starts answering.
     *
     * @throws IOException when the address cannot be bound (e.g. {@link java.net.BindException} for a busy port)
     */
    public static HttpNodeServer start(InetSocketAddress address, Router router, TokenCheck tokens, Metrics metrics,
                                       int workerThreads, Duration drainTimeout) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService workers = Executors.newFixedThreadPool(workerThreads, named("node-http"));
        HttpNodeServer node = new HttpNodeServer(server, workers, router, tokens, metrics, drainTimeout);
        server.createContext("/", node::dispatch);
        server.setExecutor(workers);
        server.start();
        return node;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The URL clients use, e.g. {@code http://127.0.0.1:43125}. */
    public URI url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort());
    }

    private void dispatch(HttpExchange ex) {
        long start = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String routeLabel = "unmatched";
        int status = 500;
        inFlight.incrementAndGet();
        try {
            if (closing) {
                throw new ApiException(503, "server_error", "shutting_down", "The node is shutting down");
            }
            Router.Match match = router.find(method, path);
            if (match == null) {
                Set<String> allowed = router.methodsFor(path);
                if (!allowed.isEmpty()) {
                    ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
                    throw new ApiException(405, "invalid_request_error", "method_not_allowed",
                            method + " is not supported on " + path + "; use " + String.join(" or ", allowed));
                }
                throw new ApiException(404, "invalid_request_error", "not_found", "No endpoint at " + path);
            }
            routeLabel = match.route().pattern();
            if (!match.route().open() && !tokens.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
                metrics.recordAuthRejected();
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "authentication_error", "invalid_token",
                        "This node needs its token: send \"Authorization: Bearer <token>\"");
            }
            Request request = new Request(method, path, match.params(), ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders(), ex.getRequestBody());
            Response response = match.route().handler().handle(request);
            status = response.status();
            send(ex, response);
        } catch (ApiException e) {
            status = e.status();
            sendError(ex, e.status(), e.body());
        } catch (Exception e) {
            status = 500;
            log.error("{} {} failed", method, path, e);
            sendError(ex, 500, ApiError.of("The node failed to answer: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), "server_error", "internal_error"));
        } finally {
            metrics.recordRequest(method, routeLabel, status, Duration.ofNanos(System.nanoTime() - start));
            ex.close();
            inFlight.decrementAndGet();
        }
    }

    private static void send(HttpExchange ex, Response response) throws IOException {
        ex.getResponseHeaders().set("Content-Type", response.contentType());
        if (response.contentType().startsWith("text/event-stream")) {
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
        }
        long length = response.length();
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(response.status(), head ? -1 : (length < 0 ? 0 : (length == 0 ? -1 : length)));
        if (!head && length != 0) {
            try (OutputStream out = ex.getResponseBody()) {
                response.write(out);
            }
        }
    }

    private static void sendError(HttpExchange ex, int status, ApiError body) {
        try {
            byte[] bytes = Wire.mapper().writeValueAsBytes(body);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            log.debug("Could not send error {} to the client: {}", status, e.getMessage());
        }
    }

    /**
     * Refuses new requests (503), lets requests in flight finish (up to the drain timeout), then closes the socket and
     * stops the workers. The JDK server's own {@code stop(delay)} waits the whole delay whenever a keep-alive
     * connection is open, so the drain is tracked here.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight.get() > 0) {
            log.warn("{} request(s) still running after {} s; closing them", inFlight.get(), drainTimeout.toSeconds());
        }
        server.stop(0);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

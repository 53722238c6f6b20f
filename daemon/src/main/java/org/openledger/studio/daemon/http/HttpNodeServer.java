package org.openledger.studio.daemon.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import javax.net.ssl.SSLContext;
import org.openledger.studio.store.PlainName;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openledger.studio.api.ApiError;
import org.openledger.studio.api.Wire;
import org.openledger.studio.daemon.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server: the JDK's {@code com.sun.net.httpserver} on a loopback port, with one dispatcher in front of
 * a {@link Router}, behind an {@link HttpFront} that owns the public socket (it reads and checks every request head,
 * answers malformed ones in JSON, ends TLS and forwards the rest). The dispatcher checks the token, turns exceptions
 * into JSON errors, records metrics and stops gracefully. With an {@link SSLContext} the front speaks TLS; the
 * loopback hop stays plain.
 */
public final class HttpNodeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpNodeServer.class);
    /** What metrics count a request whose client went away as (nginx's "client closed request"); never a 5xx. */
    static final int CLIENT_GONE = 499;

    private final HttpServer server;
    private HttpFront front;
    private final ExecutorService workers;
    private final Router router;
    private final TokenCheck tokens;
    private final Metrics metrics;
    private final Duration drainTimeout;
    private final ServerLimits limits;
    private final StallWatch stalls;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    /** The watch on a worker's header phase: from the JDK handing it a connection with bytes until dispatch. */
    private final ThreadLocal<StallWatch.Watch> headerWatch = new ThreadLocal<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ClientConnections connections = new ClientConnections();
    private final RequestRate rate;
    private volatile boolean closing;
    private volatile boolean closed;

    private HttpNodeServer(HttpServer server, ExecutorService workers, StallWatch stalls, Router router,
                           TokenCheck tokens, Metrics metrics, Duration drainTimeout, ServerLimits limits) {
        this.server = server;
        this.workers = workers;
        this.stalls = stalls;
        this.limits = limits;
        this.router = router;
        this.tokens = tokens;
        this.metrics = metrics;
        this.drainTimeout = drainTimeout;
        this.rate = new RequestRate(limits.requestsPerSecond(), limits.burst());
    }

    /**
     * Binds {@code address} and starts answering.
     *
     * @throws IOException when the address cannot be bound (e.g. {@link java.net.BindException} for a busy port)
     */
    public static HttpNodeServer start(InetSocketAddress address, Router router, TokenCheck tokens, Metrics metrics,
                                       ServerLimits limits, Duration drainTimeout) throws IOException {
        return start(address, router, tokens, metrics, limits, drainTimeout, null);
    }

    /** As above, over TLS with {@code tls} unless it is null. */
    public static HttpNodeServer start(InetSocketAddress address, Router router, TokenCheck tokens, Metrics metrics,
                                       ServerLimits limits, Duration drainTimeout, SSLContext tls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        // made as needed up to the limit, so that a few slow peers never take every worker; dropped when idle
        ThreadPoolExecutor workers = new WorkerPool(limits.workers(), 30, named("node-http"));
        StallWatch stalls = new StallWatch();
        HttpNodeServer node = new HttpNodeServer(server, workers, stalls, router, tokens, metrics, drainTimeout,
                limits);
        server.createContext("/", node::dispatch);
        server.setExecutor(node::runExchange);
        server.start();
        try {
            node.front = HttpFront.open(address, tls, server.getAddress(), limits, (method, status, took) ->
                    metrics.recordRequest(method, "unmatched", status, took));
        } catch (IOException | RuntimeException e) {
            server.stop(0);
            stalls.close();
            workers.shutdownNow();
            throw e;
        }
        metrics.countInFlight(node.inFlight::get);
        return node;
    }

    /**
     * Runs one exchange of the JDK server. It reads the request line and headers on this thread before it calls
     * {@link #dispatch}; a peer that sends part of them and stops is cut off after the header time-out.
     */
    private void runExchange(Runnable exchange) {
        workers.execute(() -> {
            headerWatch.set(stalls.begin(System.nanoTime() + limits.headerTimeout().toNanos()));
            try {
                exchange.run();
            } finally {
                StallWatch.Watch left = headerWatch.get();
                headerWatch.remove();
                if (left != null) {
                    stalls.end(left);
                }
                Thread.interrupted();
            }
        });
    }

    public InetSocketAddress address() {
        return front.address();
    }

    /** The JDK server's own loopback address, behind the front (for tests: nothing else should connect there). */
    InetSocketAddress innerAddress() {
        return server.getAddress();
    }

    /** The URL clients use, e.g. {@code http://127.0.0.1:43125} ({@code https://} over TLS). */
    public URI url() {
        InetSocketAddress a = front.address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((front.tls() ? "https://" : "http://") + host + ":" + a.getPort());
    }

    private void dispatch(HttpExchange ex) {
        StallWatch.Watch headers = headerWatch.get();
        headerWatch.remove();
        if (headers != null) {
            stalls.end(headers);
        }
        long start = System.nanoTime();
        String method = ex.getRequestMethod();
        // routed on the raw path: each parameter is decoded on its own, so "%2F" cannot make new segments
        String path = ex.getRequestURI().getRawPath();
        String routeLabel = "unmatched";
        int status = 500;
        InetSocketAddress client = front.peerOf(ex.getRemoteAddress());
        InetAddress peer = client == null ? null : client.getAddress();
        AtomicInteger fromPeer = null;
        boolean bodyUnread = true;
        inFlight.incrementAndGet();
        try {
            if (closing) {
                throw new ApiException(503, "server_error", "shutting_down", "The node is shutting down");
            }
            if (client == null) {
                // only the front's relay connections are served: its checks cannot be gone around
                ex.getResponseHeaders().set("Connection", "close");
                throw new ApiException(403, "permission_error", "not_through_the_front", "Connect to the node at "
                        + url() + ", not to its inner port");
            }
            // the front checked the head; the whole path must decode strictly, though routing stays on the raw path
            try {
                RequestTarget.path(ex.getRequestURI().getRawPath());
            } catch (ApiException e) {
                // its body is left unread: what follows on the connection is no next request
                ex.getResponseHeaders().set("Connection", "close");
                throw e;
            }
            Router.Match match = router.find(method, path);
            boolean open = match != null && match.route().open();
            if (match != null) {
                routeLabel = match.route().pattern();
            }
            // the token first: without it, nothing about the routes is told (not even 404 or 405)
            String tokenKey = open ? null : tokens.keyOf(ex.getRequestHeaders().getFirst("Authorization"));
            if (!open && tokenKey == null) {
                metrics.recordAuthRejected();
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "authentication_error", "invalid_token",
                        "This node needs its token: send \"Authorization: Bearer <token>\"");
            }
            if (match == null) {
                Set<String> allowed = router.methodsFor(path);
                if (!allowed.isEmpty()) {
                    ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
                    throw new ApiException(405, "invalid_request_error", "method_not_allowed",
                            method + " is not supported on " + path + "; use " + String.join(" or ", allowed));
                }
                throw new ApiException(404, "invalid_request_error", "not_found", "No endpoint at " + path);
            }
            checkParams(match);
            if (!open && peer != null) {
                fromPeer = perAddress.computeIfAbsent(peer, k -> new AtomicInteger());
                if (fromPeer.incrementAndGet() > limits.maxRequestsPerAddress()) {
                    ex.getResponseHeaders().set("Connection", "close");
                    ex.getResponseHeaders().set("Retry-After", "1");
                    throw new ApiException(429, "rate_limit_error", "too_many_connections", "This address has "
                            + limits.maxRequestsPerAddress() + " requests in progress already; wait for one to end");
                }
            }
            if (!open) {
                checkRate(ex, tokenKey);
            }
            checkDeclaredLength(ex, method);
            InputStream body = stalls.reading(ex.getRequestBody(), limits.stallTimeout());
            Request request = new Request(method, path, match.params(), ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders(), body, limits.jsonBodyTimeout(), limits.maxJsonBody())
                    .watchingClient(connections.watch(ex.getLocalAddress(), ex.getRemoteAddress()));
            bodyUnread = false;
            Response response = match.route().handler().handle(request);
            status = response.status();
            send(ex, response);
        } catch (ApiException e) {
            status = e.status();
            if (e.retryAfterSeconds() != null) {
                ex.getResponseHeaders().set("Retry-After", Integer.toString(e.retryAfterSeconds()));
            }
            if (bodyUnread) {
                refuse(ex, e.status(), e.body());
            } else {
                sendError(ex, e.status(), e.body());
            }
        } catch (Exception e) {
            MalformedBodyException malformed = MalformedBodyException.in(e);
            if (malformed != null) {
                status = 400;
                ex.getResponseHeaders().set("Connection", "close");
                sendError(ex, 400, ApiError.of(malformed.getMessage(), "invalid_request_error", "invalid_body"));
            } else if (ClientGoneException.in(e)) {
                status = CLIENT_GONE;
                log.debug("{} {}: {}", method, path, e.getMessage());
            } else {
                status = 500;
                log.error("{} {} failed", method, path, e);
                sendError(ex, 500, ApiError.of("The node failed to answer: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), "server_error", "internal_error"));
            }
        } finally {
            metrics.recordRequest(method, routeLabel, status, Duration.ofNanos(System.nanoTime() - start));
            closeExchange(ex);
            if (fromPeer != null && fromPeer.decrementAndGet() <= 0) {
                perAddress.remove(peer, fromPeer);
            }
            inFlight.decrementAndGet();
        }
    }

    /** Every path parameter is an id or a file name: one plain segment ({@link PlainName}), else a 400. */
    private static void checkParams(Router.Match match) {
        for (Map.Entry<String, String> p : match.params().entrySet()) {
            String why = PlainName.idProblem(p.getValue());
            if (why != null) {
                throw ApiException.badParam(p.getKey(), "The " + p.getKey() + " '" + PlainName.printable(p.getValue())
                        + "' in the path is not a plain name: " + why);
            }
        }
    }

    /** One token's requests beyond its rate are a 429 with the seconds until the next one would be served. */
    private void checkRate(HttpExchange ex, String tokenKey) {
        long wait = rate.take(tokenKey, System.nanoTime());
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
            metrics.recordRateLimited();
            ex.getResponseHeaders().set("Retry-After", Long.toString(seconds));
            throw new ApiException(429, "rate_limit_error", "rate_limited", "This token sent more than "
                    + limits.burst() + " requests at once or more than " + limits.requestsPerSecond()
                    + " a second; try again in " + seconds + " s");
        }
    }

    /**
     * A declared body larger than its class allows is refused before a byte of it is read: uploads (PUT) up to
     * {@link ServerLimits#maxUploadBody()}, anything else up to {@link ServerLimits#maxJsonBody()}. Bodies without a
     * length (chunked) are cut off by the readers at the same limits.
     */
    private void checkDeclaredLength(HttpExchange ex, String method) {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) {
            return;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Content-Length is not a number");
        }
        boolean upload = "PUT".equals(method);
        long max = upload ? limits.maxUploadBody() : limits.maxJsonBody();
        if (length > max) {
            ex.getResponseHeaders().set("Connection", "close");
            throw new ApiException(413, "invalid_request_error", "body_too_large", "The body is " + length
                    + " bytes; this node takes at most " + max + " bytes in " + (upload ? "an upload" : "a request"));
        }
    }

    /** Closing reads what is left of the body and flushes the answer: a stalling peer must not hold it either. */
    private void closeExchange(HttpExchange ex) {
        StallWatch.Watch w = stalls.begin(System.nanoTime() + limits.stallTimeout().toNanos());
        try {
            ex.close();
        } finally {
            stalls.end(w);
        }
    }

    private void send(HttpExchange ex, Response response) throws IOException {
        ex.getResponseHeaders().set("Content-Type", response.contentType());
        if (response.contentType().startsWith("text/event-stream")) {
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
        }
        long length = response.length();
        boolean head = "HEAD".equals(ex.getRequestMethod());
        StallWatch.Watch w = stalls.begin(System.nanoTime() + limits.stallTimeout().toNanos());
        try {
            ex.sendResponseHeaders(response.status(), head ? -1 : (length < 0 ? 0 : (length == 0 ? -1 : length)));
        } catch (IOException e) {
            stalls.end(w);
            throw new ClientGoneException("the client went away: " + e.getMessage(), e);
        }
        stalls.end(w);
        if (!head && length != 0) {
            try (OutputStream out = stalls.writing(ex.getResponseBody(), limits.stallTimeout())) {
                response.write(out);
            }
        }
    }

    /**
     * Answers a request refused before its body was read. The JDK drains an unread body (up to 64 KiB) when the
     * answer is closed, which would wait on a client that declared a body it never sends; a second or the stall
     * time-out, whichever is shorter, is all it gets: then the worker is interrupted and the connection closes
     * (the answer was flushed before the drain).
     */
    private void refuse(HttpExchange ex, int status, ApiError body) {
        long limit = Math.min(limits.stallTimeout().toNanos(), Duration.ofSeconds(1).toNanos());
        StallWatch.Watch w = stalls.begin(System.nanoTime() + limit);
        try {
            sendError(ex, status, body);
            ex.close();
        } finally {
            stalls.end(w);
        }
    }

    private void sendError(HttpExchange ex, int status, ApiError body) {
        try {
            byte[] bytes = Wire.mapper().writeValueAsBytes(body);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            StallWatch.Watch w = stalls.begin(System.nanoTime() + limits.stallTimeout().toNanos());
            try {
                ex.sendResponseHeaders(status, bytes.length);
            } finally {
                stalls.end(w);
            }
            try (OutputStream out = stalls.writing(ex.getResponseBody(), limits.stallTimeout())) {
                out.write(bytes);
            }
        } catch (IOException | IllegalStateException e) {
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
        front.close();
        stalls.close();
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

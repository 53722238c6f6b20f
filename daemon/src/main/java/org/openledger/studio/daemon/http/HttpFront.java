package org.openledger.studio.daemon.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's public socket, in front of the JDK server (which listens on a loopback port of its own). It reads each
 * request head itself ({@link RequestHead}), answers a malformed one with a JSON error, and forwards the rest in
 * canonical form over one loopback connection per client connection; answers are copied back byte for byte. So the
 * JDK's own HTML pages (a bad escape, a bad {@code Content-Length}) are never reached, and a request cannot be read
 * one way here and another there. It also ends TLS, keeps the header time-out (from a request's first byte to its
 * last header, the TLS handshake included), the idle time-out between requests and a cap on connections per address
 * and in all. See decision 0032.
 *
 * <p>Threads: one per client connection while it waits for or reads a request, and one more that copies answers
 * once it has sent one. A slow peer holds only its own.
 */
final class HttpFront implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpFront.class);
    /** How long a connection may wait between requests before it is closed (the JDK server's own idle time). */
    static final Duration IDLE = Duration.ofSeconds(30);
    private static final int BUFFER = 16 * 1024;

    /** Told of every request the front answers itself. */
    interface Refusals {
        void refused(String method, int status, Duration took);
    }

    private final ServerSocket listening;
    private final SSLSocketFactory tls;
    private final InetSocketAddress inner;
    private final ServerLimits limits;
    private final Refusals refusals;
    private final int maxPerAddress;
    private final int maxConnections;
    private final ExecutorService threads;
    private final ScheduledExecutorService timer;
    private final Map<Integer, InetSocketAddress> peers = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Set<Cut> cuts = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private HttpFront(ServerSocket listening, SSLContext tls, InetSocketAddress inner, ServerLimits limits,
                      Refusals refusals) {
        this.listening = listening;
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.inner = inner;
        this.limits = limits;
        this.refusals = refusals;
        this.maxPerAddress = maxPerAddress(limits);
        this.maxConnections = Math.max(256, 4 * limits.workers());
        AtomicInteger n = new AtomicInteger();
        // two threads at most per connection, made as needed and dropped after 30 s idle (as the workers are)
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "node-http-front-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "node-http-front-watch"));
        this.acceptor = daemon(this::accept, "node-http-accept");
    }

    /**
     * Binds {@code address} and starts forwarding to the JDK server at {@code inner}.
     *
     * @param tls the server's TLS context, or null for plain HTTP
     * @throws IOException when the address cannot be bound
     */
    static HttpFront open(InetSocketAddress address, SSLContext tls, InetSocketAddress inner, ServerLimits limits,
                          Refusals refusals) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address, 128);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        HttpFront front = new HttpFront(s, tls, inner, limits, refusals);
        front.timer.scheduleWithFixedDelay(front::checkCuts, 50, 50, TimeUnit.MILLISECONDS);
        front.acceptor.start();
        return front;
    }

    /** Connections one address may hold open: 8 for each request it may have in progress, at least 64. */
    static int maxPerAddress(ServerLimits limits) {
        return Math.max(64, 8 * limits.maxRequestsPerAddress());
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listening.getLocalSocketAddress();
    }

    boolean tls() {
        return tls != null;
    }

    /**
     * The client behind a connection the JDK server sees ({@code seen} is its remote address: our relay socket), or
     * null when it did not come through this front.
     */
    InetSocketAddress peerOf(InetSocketAddress seen) {
        if (seen == null || seen.getAddress() == null || !seen.getAddress().isLoopbackAddress()) {
            return null;
        }
        return peers.get(seen.getPort());
    }

    private void accept() {
        while (!closed) {
            Socket raw;
            try {
                raw = listening.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Could not accept a connection: {}", e.getMessage());
                    pause();
                }
                continue;
            }
            InetAddress from = raw.getInetAddress();
            AtomicInteger mine = perAddress.computeIfAbsent(from, k -> new AtomicInteger());
            int count = mine.incrementAndGet();
            if (count > maxPerAddress || links.size() >= maxConnections || closed) {
                release(from, mine);
                turnAway(raw, count > maxPerAddress);
                continue;
            }
            Link link = new Link(raw, from, mine);
            links.add(link);
            try {
                threads.execute(link::run);
            } catch (RejectedExecutionException e) {
                links.remove(link);
                release(from, mine);
                quietly(raw);
            }
        }
    }

    /** A connection over the caps gets a 429 (this address) or 503 (the node) and is closed; over TLS, just closed. */
    private void turnAway(Socket raw, boolean address) {
        if (tls == null) {
            ApiException e = address
                    ? new ApiException(429, "rate_limit_error", "too_many_connections", "This address has "
                    + maxPerAddress + " connections open to the node already; close one first").withRetryAfter(1)
                    : new ApiException(503, "server_error", "too_many_connections", "The node has " + maxConnections
                    + " connections open; try again shortly").withRetryAfter(1);
            try {
                raw.setSoTimeout(1000);
                raw.getOutputStream().write(e.wire());
                raw.shutdownOutput();
            } catch (IOException ignored) {
                // the peer is gone already
            }
            refusals.refused("-", e.status(), Duration.ZERO);
        }
        closeLater(raw, Duration.ofSeconds(1));
    }

    /** One client connection: its head reader, and once it has forwarded a request, its relay and answer copier. */
    private final class Link {
        private final Socket raw;
        private final InetAddress from;
        private final AtomicInteger fromCount;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private Socket relay;
        private OutputStream relayOut;
        private final CountDownLatch copied = new CountDownLatch(1);
        private volatile boolean refusing;
        /** Whether the client has ended its sending, or the front has stopped reading it. */
        private boolean clientDone;

        Link(Socket raw, InetAddress from, AtomicInteger fromCount) {
            this.raw = raw;
            this.from = from;
            this.fromCount = fromCount;
        }

        void run() {
            try {
                raw.setTcpNoDelay(true);
                socket = tls == null ? raw : handshake();
                if (socket != null) {
                    in = new BufferedInputStream(socket.getInputStream(), BUFFER);
                    out = socket.getOutputStream();
                    serve();
                }
            } catch (IOException | RuntimeException e) {
                log.debug("A connection from {} ended: {}", from, e.toString());
            } finally {
                finish();
            }
        }

        private Socket handshake() throws IOException {
            SSLSocket s = (SSLSocket) tls.createSocket(raw, null, true);
            s.setUseClientMode(false);
            Cut cut = cut(raw, limits.headerTimeout());
            try {
                s.startHandshake();
            } finally {
                end(cut);
            }
            return s;
        }

        private void serve() throws IOException {
            int stall = (int) Math.min(Integer.MAX_VALUE, limits.stallTimeout().toMillis());
            while (!closed) {
                socket.setSoTimeout((int) IDLE.toMillis());
                int first;
                try {
                    first = in.read();
                } catch (SocketTimeoutException idle) {
                    return;
                }
                if (first < 0) {
                    clientDone = true;
                    return;
                }
                long began = System.nanoTime();
                socket.setSoTimeout(stall);
                RequestHead head;
                Cut cut = cut(raw, limits.headerTimeout());
                try {
                    head = RequestHead.read(first, in, limits);
                } catch (ApiException e) {
                    end(cut);
                    refuse(e, began);
                    return;
                } finally {
                    end(cut);
                }
                if (!forward(head)) {
                    return;
                }
            }
        }

        /** Sends one request on; false when its chunked body broke (the node answers that, and the link ends). */
        private boolean forward(RequestHead head) throws IOException {
            if (relay == null) {
                Socket r = new Socket();
                r.setTcpNoDelay(true);
                r.connect(inner, 10_000);
                relay = r;
                relayOut = new BufferedOutputStream(r.getOutputStream(), BUFFER);
                peers.put(r.getLocalPort(), (InetSocketAddress) raw.getRemoteSocketAddress());
                threads.execute(this::copyAnswers);
            }
            relayOut.write(head.canonical());
            relayOut.flush(); // before any body: a client may wait for "100 Continue"
            return BodyRelay.forward(head, in, relayOut, limits);
        }

        /** Copies the node's answers to the client; when the node closes, the client's connection closes too. */
        private void copyAnswers() {
            byte[] buf = new byte[BUFFER];
            try (InputStream from = relay.getInputStream()) {
                int n;
                while ((n = from.read(buf)) >= 0) {
                    Cut cut = cut(raw, limits.stallTimeout());
                    try {
                        out.write(buf, 0, n);
                        out.flush();
                    } finally {
                        end(cut);
                    }
                }
            } catch (IOException e) {
                log.debug("Copying answers to {} ended: {}", from, e.toString());
            } finally {
                copied.countDown();
                if (!refusing) {
                    shutdownOutput(socket);
                    closeLater(raw, Duration.ofSeconds(1));
                }
            }
        }

        /** Answers a request this front refuses, after whatever the node is still sending, and ends the link. */
        private void refuse(ApiException e, long began) throws IOException {
            refusing = true;
            if (!awaitNodeDone()) {
                return;
            }
            refusals.refused("-", e.status(), Duration.ofNanos(System.nanoTime() - began));
            Cut cut = cut(raw, limits.stallTimeout());
            try {
                out.write(e.wire());
                out.flush();
            } finally {
                end(cut);
            }
            linger();
        }

        /**
         * Ends the sending to the client, then reads and drops what it still sends for a moment, so that closing does
         * not reset the connection before the client has read its answer.
         */
        private void linger() {
            if (clientDone || socket == null || raw.isClosed()) {
                return;
            }
            clientDone = true;
            shutdownOutput(socket);
            byte[] sink = new byte[BUFFER];
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            int dropped = 0;
            try {
                socket.setSoTimeout(1000);
                int n;
                while (dropped < 1 << 20 && System.nanoTime() < until && (n = in.read(sink)) >= 0) {
                    dropped += n;
                }
            } catch (IOException ignored) {
                // closed or quiet: done either way
            }
        }

        /**
         * Ends the sending on the relay and waits until the node has answered what it was sent and closed (the copier
         * is done); false when interrupted meanwhile.
         */
        private boolean awaitNodeDone() {
            if (relay == null) {
                return true;
            }
            shutdownOutput(relay);
            try {
                copied.await();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void finish() {
            if (relay != null) {
                awaitNodeDone();
                peers.remove(relay.getLocalPort());
                quietly(relay);
            }
            linger();
            quietly(raw);
            links.remove(this);
            release(from, fromCount);
        }

        boolean copying() {
            return relay != null && copied.getCount() > 0;
        }

        void kill() {
            quietly(raw);
            if (relay != null) {
                quietly(relay);
            }
        }
    }

    /** A deadline on one blocking call: past it, the raw socket is closed, which ends the call. */
    private record Cut(Socket socket, long deadline) {
    }

    private Cut cut(Socket socket, Duration within) {
        Cut c = new Cut(socket, System.nanoTime() + within.toNanos());
        cuts.add(c);
        return c;
    }

    private void end(Cut c) {
        cuts.remove(c);
    }

    private void checkCuts() {
        long now = System.nanoTime();
        for (Cut c : cuts) {
            if (now - c.deadline() >= 0 && cuts.remove(c)) {
                quietly(c.socket());
            }
        }
    }

    private void closeLater(Socket s, Duration after) {
        try {
            timer.schedule(() -> quietly(s), after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            quietly(s);
        }
    }

    private void release(InetAddress from, AtomicInteger count) {
        if (count.decrementAndGet() <= 0) {
            perAddress.remove(from, count);
        }
    }

    private static void shutdownOutput(Socket s) {
        if (s == null || s.isClosed()) {
            return;
        }
        try {
            s.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
            quietly(s);
        }
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Stops accepting and closes every connection (the node has drained what it answers by now). */
    @Override
    public void close() {
        closed = true;
        try {
            listening.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
        // the node has drained and closed its side: answers still in the relays' buffers get a moment to arrive
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (links.stream().anyMatch(Link::copying) && System.nanoTime() < until) {
            pause();
        }
        for (Link l : links) {
            l.kill();
        }
        threads.shutdown();
        timer.shutdownNow();
        try {
            acceptor.join(5000);
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

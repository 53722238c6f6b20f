package org.openledger.studio.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openledger.studio.daemon.metrics.Metrics;

/** The front's own guarantees: canonical heads, no way around it, and its cap on connections per address. */
class HttpFrontTest {

    private static final String TOKEN = "http-front-test-token-0123456789";
    private HttpNodeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpNodeServer start(ServerLimits limits) throws IOException {
        Router router = new Router().add("GET", "/v1/hello", req -> Response.json(Map.of("hello", "you")));
        server = HttpNodeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), router,
                new TokenCheck(TOKEN), new Metrics("1", Instant.now()), limits, Duration.ofSeconds(1));
        return server;
    }

    private static RequestHead head(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayInputStream in = new ByteArrayInputStream(b, 1, b.length - 1);
        return RequestHead.read(b[0] & 0xff, in, ServerLimits.defaults());
    }

    @Test
    void aHeadIsForwardedInItsCanonicalForm() throws IOException {
        RequestHead h = head("post /v1/x?q=1 http/1.1\nHost:  x \nContent-Length: 5\ncontent-length: 5\n"
                + "X-Tab:\ta\tb\t\r\n\r\n");
        assertEquals("post /v1/x?q=1 HTTP/1.1\r\nHost: x\r\nX-Tab: a\tb\r\nContent-Length: 5\r\n\r\n",
                new String(h.canonical(), StandardCharsets.ISO_8859_1));
        assertEquals(RequestHead.Framing.LENGTH, h.framing());
        assertEquals(5, h.length());
        RequestHead chunked = head("PUT /u HTTP/1.0\r\nTransfer-Encoding: CHUNKED\r\n\r\n");
        assertEquals(RequestHead.Framing.CHUNKED, chunked.framing());
        assertTrue(new String(chunked.canonical(), StandardCharsets.ISO_8859_1)
                .endsWith("Transfer-Encoding: chunked\r\n\r\n"));
        assertEquals(RequestHead.Framing.NONE, head("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").framing());
        ApiException cut = assertThrows(ApiException.class, () -> head("GET / HTTP/1.1\r\nA: b\u0001c\r\n\r\n"));
        assertEquals("invalid_header", cut.body().error().code());
        assertThrows(java.io.EOFException.class, () -> head("GET / HTTP/1.1\r\nHost: x\r\n"));
    }

    @Test
    void chunkSizesAreHexWithOptionalExtensions() {
        assertEquals(26, BodyRelay.chunkSize("1a"));
        assertEquals(26, BodyRelay.chunkSize("1A ; name=value"));
        assertEquals(0, BodyRelay.chunkSize("0"));
        assertEquals(-1, BodyRelay.chunkSize(""));
        assertEquals(-1, BodyRelay.chunkSize("0x1a"));
        assertEquals(-1, BodyRelay.chunkSize("-1"));
        assertEquals(-1, BodyRelay.chunkSize("1".repeat(16)));
    }

    @Test
    void aConnectionStraightToTheInnerPortIsRefused() throws IOException {
        HttpNodeServer s = start(ServerLimits.defaults());
        String direct = exchange(s.innerAddress(), "GET /v1/hello HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TOKEN + "\r\n\r\n");
        assertTrue(direct.startsWith("HTTP/1.1 403") && direct.contains("not_through_the_front"), direct);
        String through = exchange(s.address(), "GET /v1/hello HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TOKEN + "\r\nConnection: close\r\n\r\n");
        assertTrue(through.startsWith("HTTP/1.1 200") && through.contains("\"hello\":\"you\""), through);
    }

    @Test
    void oneAddressGetsACappedNumberOfConnectionsAndTheRestA429() throws Exception {
        HttpNodeServer s = start(ServerLimits.defaults());
        int cap = HttpFront.maxPerAddress(ServerLimits.defaults());
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < cap; i++) {
                held.add(new Socket(s.address().getAddress(), s.address().getPort()));
            }
            // the accept loop counts them as it takes them
            String over = "";
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!over.contains("too_many_connections") && System.nanoTime() < until) {
                over = exchange(s.address(), "GET /v1/hello HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            assertTrue(over.startsWith("HTTP/1.1 429") && over.contains("too_many_connections")
                    && over.contains("Retry-After: 1"), over);
        } finally {
            for (Socket h : held) {
                h.close();
            }
        }
        String after = "";
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!after.startsWith("HTTP/1.1 200") && System.nanoTime() < until) {
            after = exchange(s.address(), "GET /v1/hello HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nConnection: close\r\n\r\n");
        }
        assertTrue(after.startsWith("HTTP/1.1 200"), "once they close, the address is served again: " + after);
    }

    private static String exchange(InetSocketAddress to, String request) throws IOException {
        try (Socket c = new Socket(to.getAddress(), to.getPort())) {
            c.setSoTimeout(2000);
            c.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = c.getInputStream().read(buf)) >= 0) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.ISO_8859_1).contains("}")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what came is what there is
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}

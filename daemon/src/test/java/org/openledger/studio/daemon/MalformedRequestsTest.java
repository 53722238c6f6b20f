package org.openledger.studio.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.Wire;
import org.openledger.studio.daemon.http.Response;

/**
 * Requests a client could only send over a raw socket: every one the node's code sees is answered with its JSON
 * error; the ones the JDK server refuses before any code of the node runs are pinned here as what they are (its
 * HTML page, or a closed connection), so that the list in decision 0022 stays true.
 */
class MalformedRequestsTest {

    private static final String TOKEN = "malformed-requests-token-0123456789";

    @TempDir
    static Path dir;

    private static Node node;

    @BeforeAll
    static void start() {
        NodeServices services = NodeServices.none().withRoutes(r -> r
                .add("POST", "/v1/echo", req -> Response.json(req.json(JsonNode.class)))
                .add("GET", "/v1/query", req -> Response.json(Map.of("q", String.valueOf(req.query("q")))))
                .add("POST", "/v1/raw", req -> Response.json(Map.of("bytes", req.body().readAllBytes().length))));
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir, TOKEN, "malformed",
                Duration.ofSeconds(2)), "1", services);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A parsed answer: status line's code, raw head and body, and whether the node closed the connection. */
    record Answer(int status, String head, String body, boolean closed) {
        JsonNode error() throws IOException {
            assertTrue(head.toLowerCase().contains("content-type: application/json"), "JSON answer: " + head);
            return Wire.mapper().readTree(body).path("error");
        }
    }

    private static Answer send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Answer send(byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed = false;
            byte[] buf = new byte[8192];
            try {
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        closed = true;
                        break;
                    }
                    got.write(buf, 0, n);
                    if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
                        // one answer is enough; a keep-alive connection would wait for the next request
                        s.setSoTimeout(300);
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                closed = e instanceof java.net.SocketException;
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            if (split < 0) {
                return new Answer(-1, text, "", closed);
            }
            String head = text.substring(0, split);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, text.substring(split + 4), closed);
        }
    }

    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String head = text.substring(0, split).toLowerCase();
        int at = head.indexOf("content-length: ");
        if (at < 0) {
            return false;
        }
        int end = head.indexOf('\r', at);
        long length = Long.parseLong(head.substring(at + 16, end < 0 ? head.length() : end).trim());
        return text.length() - split - 4 >= length;
    }

    private static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\n"
                + String.join("", headers) + "\r\n";
    }

    private static String post(String target, String headers, String body) {
        return "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\n" + headers
                + "\r\n" + body;
    }

    @Test
    void aPathWhoseEscapesAreNotUtf8IsAJson400() throws IOException {
        Answer a = send(get("/v1/adapters/%C0%AF/files/x"));
        assertEquals(400, a.status());
        assertEquals("invalid_path", a.error().path("code").asText());
        assertTrue(a.head().contains("Connection: close"), a.head());
        assertEquals("invalid_path", send(get("/v1/%00")).error().path("code").asText());
        // the same answer with or without the token: nothing about the routes is told
        assertEquals(400, send("GET /v1/%FF HTTP/1.1\r\nHost: x\r\n\r\n").status());
    }

    @Test
    void aQueryWhoseEscapesAreNotUtf8IsAJson400NamingTheQuery() throws IOException {
        Answer a = send(get("/v1/query?q=%E2%82"));
        assertEquals(400, a.status());
        assertEquals("query", a.error().path("param").asText());
        Answer ok = send(get("/v1/query?q=caf%C3%A9+au+lait"));
        assertEquals(200, ok.status());
        assertEquals("café au lait", Wire.mapper().readTree(ok.body().getBytes(StandardCharsets.ISO_8859_1))
                .path("q").asText());
    }

    @Test
    void aProtocolOtherThanHttp1IsAJson505() throws IOException {
        Answer two = send("GET /health HTTP/2.0\r\nHost: x\r\n\r\n");
        assertEquals(505, two.status());
        assertEquals("http_version_not_supported", two.error().path("code").asText());
        Answer junk = send("GET /health SPDY\r\nHost: x\r\n\r\n");
        assertEquals(400, junk.status());
        assertEquals("invalid_request_line", junk.error().path("code").asText());
    }

    @Test
    void headersBeyondTheNodesLimitsAreAJson431() throws IOException {
        // 100 KiB: past the node's 64 KiB, within the JDK's own 380 KiB
        Answer big = send(get("/health", "X-Big: " + "x".repeat(100 * 1024) + "\r\n"));
        assertEquals(431, big.status());
        assertEquals("headers_too_large", big.error().path("code").asText());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertEquals(431, send(get("/health", many.toString())).status());
        assertEquals(200, send(get("/health", "X-Small: " + "x".repeat(1000) + "\r\n")).status());
    }

    @Test
    void brokenChunkedFramingIsAJson400WhereverTheBodyIsRead() throws IOException {
        String chunked = "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n";
        Answer json = send(post("/v1/echo", chunked, "zz\r\n{}\r\n0\r\n\r\n"));
        assertEquals(400, json.status());
        assertEquals("invalid_body", json.error().path("code").asText());
        Answer raw = send(post("/v1/raw", chunked, "2\r\n{}XX0\r\n\r\n"));
        assertEquals(400, raw.status());
        assertEquals("invalid_body", raw.error().path("code").asText());
        assertTrue(raw.head().contains("Connection: close"), raw.head());
        Answer good = send(post("/v1/echo", chunked, "7\r\n{\"a\":1}\r\n0\r\n\r\n"));
        assertEquals(200, good.status());
        assertEquals("{\"a\":1}", good.body());
    }

    @Test
    void aJsonBodyDeclaredLargerThanTheLimitIsA413BeforeItIsSent() throws IOException {
        // only the head is sent: the node must answer without waiting for 17 MB
        Answer a = send(post("/v1/echo", "Content-Length: 17000000\r\n", "{"));
        assertEquals(413, a.status());
        assertEquals("body_too_large", a.error().path("code").asText());
    }

    @Test
    void whatTheJdkRefusesBeforeTheNodeRunsIsItsOwnPage() throws IOException {
        String[] jdkRefusals = {
            get("/v1/a%zz"),                                                  // URISyntaxException
            "GARBAGE\r\n\r\n",                                                // no target, no protocol
            post("/v1/echo", "Content-Length: -1\r\n", ""),
            post("/v1/echo", "Content-Length: 1e3\r\n", ""),
            post("/v1/echo", "Content-Length: 2\r\nContent-Length: 3\r\n", "{}"),
            post("/v1/echo", "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", "{}"),
            get("/health", "Bad Name: v\r\n"),
        };
        for (String r : jdkRefusals) {
            Answer a = send(r);
            assertEquals(400, a.status(), r);
            assertTrue(a.head().contains("text/html") && a.closed(), r + " -> " + a.head());
        }
        assertEquals(501, send(post("/v1/echo", "Transfer-Encoding: gzip\r\n", "")).status());
        // past the JDK's own header limit: closed unanswered
        Answer huge = send(get("/health", "X-Big: " + "x".repeat(400 * 1024) + "\r\n"));
        assertEquals(-1, huge.status());
        assertTrue(huge.closed());
        // a raw space in the target: the JDK cuts the target there and takes the last word as the protocol, so
        // the node sees GET /health HTTP/1.1 and cannot tell
        assertEquals(200, send("GET /health x HTTP/1.1\r\nHost: x\r\n\r\n").status());
        // and the node still answers
        assertEquals(200, send(get("/health")).status());
    }
}

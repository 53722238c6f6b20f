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
 * Requests a client could only send over a raw socket: every one is answered with the node's JSON error, whether the
 * front refuses its head (what the JDK server would have answered with its own HTML page, decision 0032) or the
 * node's code refuses what the head asks.
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
        // a chunk larger than the front's pieces (it forwards at most 16 KiB a chunk, as the JDK reads a chunk's size
        // into an int: fuzz/http-request/chunk-size-over-int-jdk-500.bin) arrives whole
        String big = "{\"a\":\"" + "x".repeat(40_000) + "\"}";
        Answer whole = send(post("/v1/echo", chunked, Integer.toHexString(big.length()) + "\r\n" + big
                + "\r\n0\r\n\r\n"));
        assertEquals(200, whole.status(), whole.head());
        assertEquals(big, whole.body());
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
    void whatTheJdkServerWouldRefuseWithItsOwnPageIsAJsonErrorOfTheFront() throws IOException {
        String[][] refusals = {
            {get("/v1/a%zz"), "400", "invalid_request_target"},                      // a URISyntaxException
            {get("//node"), "400", "invalid_request_target"},                        // an authority, no path
            {"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "400", "invalid_request_target"},
            {"GET http://x HTTP/1.1\r\nHost: x\r\n\r\n", "400", "invalid_request_target"},  // no path
            {"GARBAGE\r\n\r\n", "400", "invalid_request_line"},                      // no target, no protocol
            {"GET /health x HTTP/1.1\r\nHost: x\r\n\r\n", "400", "invalid_request_line"},  // a raw space in the target
            {"GET /h\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n", "400", "invalid_request_target"},   // a raw non-ASCII byte
            {post("/v1/echo", "Content-Length: -1\r\n", ""), "400", "invalid_body_framing"},
            {post("/v1/echo", "Content-Length: 1e3\r\n", ""), "400", "invalid_body_framing"},
            {post("/v1/echo", "Content-Length: 2\r\nContent-Length: 3\r\n", "{}"), "400", "invalid_body_framing"},
            {post("/v1/echo", "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", "{}"), "400",
                "invalid_body_framing"},
            {post("/v1/echo", "Transfer-Encoding: gzip\r\n", ""), "501", "unsupported_transfer_encoding"},
            {get("/health", "Bad Name: v\r\n"), "400", "invalid_header"},
            {get("/health", "X-Folded: a\r\n  b\r\n"), "400", "invalid_header"},
            {get("/health", "X-Nul: a\u0000b\r\n"), "400", "invalid_header"},
            {get("/health", "X-Big: " + "x".repeat(400 * 1024) + "\r\n"), "431", "headers_too_large"},
            {"GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n", "414", "request_line_too_long"},
            {"GET /health HTTP/2.0\r\nHost: x\r\n\r\n", "505", "http_version_not_supported"},
        };
        for (String[] r : refusals) {
            Answer a = send(r[0]);
            String what = r[0].substring(0, Math.min(60, r[0].length())) + " -> " + a.head();
            assertEquals(Integer.parseInt(r[1]), a.status(), what);
            assertEquals(r[2], a.error().path("code").asText(), what);
            assertTrue(a.head().contains("Connection: close") && a.closed(), what);
        }
        // and the node still answers
        assertEquals(200, send(get("/health")).status());
    }

    @Test
    void aBadRequestPipelinedAfterAGoodOneIsRefusedAfterTheGoodOnesAnswer() throws IOException {
        String both = post("/v1/echo", "Content-Length: 7\r\nContent-Type: application/json\r\n", "{\"a\":1}")
                + get("/v1/a%zz");
        String text = exchange(both.getBytes(StandardCharsets.ISO_8859_1));
        int first = text.indexOf("HTTP/1.1 200");
        int second = text.indexOf("HTTP/1.1 400");
        assertTrue(first == 0 && second > first && text.contains("{\"a\":1}") && text.contains(
                "invalid_request_target"), text);
    }

    @Test
    void laxButUnambiguousFormsAreReadAndForwardedCanonically() throws IOException {
        // bare LF line ends, a stray empty line before the request, chunk extensions and trailers
        String lax = "\r\nPOST /v1/echo HTTP/1.1\nHost: x\nAuthorization: Bearer " + TOKEN + "\n"
                + "Content-Type: application/json\nTransfer-Encoding: Chunked\n\n"
                + "7;ext=1\r\n{\"a\":1}\r\n0\r\nX-Trailer: t\r\n\r\n";
        Answer a = send(lax);
        assertEquals(200, a.status(), a.head());
        assertEquals("{\"a\":1}", a.body());
        // two requests on one connection, the second kept alive after the first
        String two = get("/v1/query?q=1") + get("/v1/query?q=2");
        String text = exchange(two.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(text.contains("{\"q\":\"1\"}") && text.contains("{\"q\":\"2\"}"), text);
    }

    /** Sends {@code request} and reads until the node closes or stays quiet for a second. */
    private static String exchange(byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            s.setSoTimeout(1000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = s.getInputStream().read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException quiet) {
                // all there is
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}

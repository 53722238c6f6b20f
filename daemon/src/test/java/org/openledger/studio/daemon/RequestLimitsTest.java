package org.openledger.studio.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.Wire;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.ServerLimits;
import org.openledger.studio.store.PlainName;

/** Headers, bodies, path names and the per-token rate: each limit answers its own 4xx before any handler runs. */
class RequestLimitsTest {

    private static final String TOKEN = "request-limits-test-token-0123456789";

    @TempDir
    Path root;

    private Node node;
    private Path data;
    private final AtomicInteger handled = new AtomicInteger();

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private void start(ServerLimits limits) throws Exception {
        data = Files.createDirectories(root.resolve("data"));
        // a handler that would write where its parameter says, as a careless one might
        NodeServices services = NodeServices.none().withRoutes(r -> r
                .add("PUT", "/v1/files/{name}", req -> {
                    handled.incrementAndGet();
                    Files.write(data.resolve(req.pathParam("name")), req.body().readAllBytes());
                    return Response.json(java.util.Map.of("ok", true));
                })
                .add("POST", "/v1/echo", req -> Response.json(req.json(JsonNode.class))));
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, data, TOKEN, "limits",
                Duration.ofSeconds(2), limits), "1", services);
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}; the whole answer. */
    private String raw(String head, String body) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String put(String path, String body) throws Exception {
        return raw("PUT " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length, body);
    }

    private static JsonNode error(String answer) throws Exception {
        return Wire.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error");
    }

    @Test
    void everyHostileNameInThePathIs400AndNothingIsWrittenAnywhere() throws Exception {
        start(ServerLimits.defaults());
        List<String> hostile = List.of("..", "%2e%2e", "%2E%2E", ".%2e", "a%2Fb", "%2F..%2F..%2Fetc%2Fpasswd",
                "..%5C..%5Cx", "a%5Cb", "%2Ftmp%2Fx", "C:%5Cx", "a%00b", "%00", "x".repeat(200),
                "%EF%BC%8E%EF%BC%8E", "%E2%80%A4%E2%80%A4", "a%E2%88%95b", "%EF%BC%8Fetc", ".hidden", "a%20b",
                "%C0%AE%C0%AE", "%25%32%65%25%32%65");
        for (String name : hostile) {
            String answer = put("/v1/files/" + name, "pwned");
            assertTrue(answer.startsWith("HTTP/1.1 400"), name + " -> " + answer);
            JsonNode e = error(answer);
            if (e.path("code").asText().equals("invalid_path")) {
                continue; // escapes that are no UTF-8 text (%00, %C0%AE) are refused before routing, stricter still
            }
            assertEquals("name", e.path("param").asText(), answer);
            assertTrue(e.path("message").asText().contains("not a plain name"), answer);
        }
        assertEquals(0, handled.get(), "no hostile name reached the handler");
        try (Stream<Path> all = Files.walk(root)) {
            assertEquals(List.of(root, data), all.filter(p -> !p.startsWith(data) || p.equals(data)).toList());
        }
        try (Stream<Path> inData = Files.list(data)) {
            assertFalse(inData.anyMatch(p -> p.getFileName().toString().contains("pwned")));
        }
        // a plain name goes through, and is decoded segment by segment
        assertTrue(put("/v1/files/notes%2Etxt", "fine").startsWith("HTTP/1.1 200"));
        assertEquals("fine", Files.readString(data.resolve("notes.txt")));
        assertTrue(PlainName.isFileName("notes.txt"));
    }

    @Test
    void tooManyOrTooLargeHeadersAre431EvenForHealth() throws Exception {
        start(ServerLimits.defaults().withHeaders(16, 2048));
        StringBuilder many = new StringBuilder("GET /v1/node HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN);
        for (int i = 0; i < 20; i++) {
            many.append("\r\nX-Filler-").append(i).append(": ").append(i);
        }
        String answer = raw(many.toString(), "");
        assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
        assertEquals("headers_too_large", error(answer).path("code").asText());
        String large = raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(3000), "");
        assertTrue(large.startsWith("HTTP/1.1 431"), large);
        assertTrue(raw("GET /health HTTP/1.1\r\nHost: x", "").startsWith("HTTP/1.1 200"));
    }

    @Test
    void aDeclaredBodyOverItsClassLimitIs413BeforeItIsRead() throws Exception {
        start(ServerLimits.defaults().withBodies(4096, 8192));
        // the bodies are declared, not sent: the answer comes at once, so nothing was waited for
        String json = raw("POST /v1/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: 5000", "");
        assertTrue(json.startsWith("HTTP/1.1 413"), json);
        assertEquals("body_too_large", error(json).path("code").asText());
        String upload = raw("PUT /v1/files/big.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Length: 9000", "");
        assertTrue(upload.startsWith("HTTP/1.1 413"), upload);
        assertEquals(0, handled.get());
        // an upload may be larger than a JSON body; the same size as JSON is refused
        assertTrue(put("/v1/files/mid.bin", "z".repeat(6000)).startsWith("HTTP/1.1 200"));
        // a chunked JSON body (no length) is cut off by the reader at the same limit
        String array = "[" + "1,".repeat(2499) + "1]";
        String chunked = raw("POST /v1/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
                Integer.toHexString(array.length()) + "\r\n" + array + "\r\n0\r\n\r\n");
        assertTrue(chunked.startsWith("HTTP/1.1 413"), chunked);
    }

    @Test
    void oneTokensRequestsBeyondItsRateAre429WithRetryAfterAndHealthIsExempt() throws Exception {
        start(ServerLimits.defaults().withRate(0.5, 3));
        String get = "GET /v1/version HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN;
        for (int i = 0; i < 3; i++) {
            assertTrue(raw(get, "").startsWith("HTTP/1.1 200"), "burst request " + i);
        }
        String limited = raw(get, "");
        assertTrue(limited.startsWith("HTTP/1.1 429"), limited);
        java.util.regex.Matcher after = java.util.regex.Pattern.compile("(?i)Retry-After: (\\d+)").matcher(limited);
        assertTrue(after.find(), limited);
        int seconds = Integer.parseInt(after.group(1));
        assertTrue(seconds >= 1 && seconds <= 2, "one request every 2 s: " + limited);
        assertEquals("rate_limited", error(limited).path("code").asText());
        for (int i = 0; i < 10; i++) {
            assertTrue(raw("GET /health HTTP/1.1\r\nHost: x", "").startsWith("HTTP/1.1 200"), "health " + i);
        }
        // a wrong token is a 401, and never spends the right token's requests
        String wrong = raw("GET /v1/version HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong-token-0000000000", "");
        assertTrue(wrong.startsWith("HTTP/1.1 401"), wrong);
        Thread.sleep(seconds * 1000L + 100); // as Retry-After said
        assertTrue(raw(get, "").startsWith("HTTP/1.1 200"));
        String metrics = raw("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN, "");
        assertTrue(metrics.startsWith("HTTP/1.1 429") || metrics.contains("studio_http_rate_limited_total 1"),
                metrics);
    }
}

package org.openledger.studio.daemon.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.fuzz.Campaign;
import org.openledger.studio.fuzz.FuzzTarget;
import org.openledger.studio.fuzz.FuzzTarget.Format;

/**
 * Whole HTTP requests (line, headers, JSON body) mutated and sent over loopback to a real node: every answer must
 * be below 500 (save the front's 501 for a transfer coding it does not know and 505 for another HTTP version), and
 * every refusal JSON, whether the front refused the head or the node's code the request (decisions 0022, 0032).
 */
class HttpRequestFuzzTest {

    static final String TOKEN = "http-fuzz-token-0123456789abcdef";

    @TempDir
    static Path dir;

    private static Node node;

    @BeforeAll
    static void start() {
        NodeServices services = NodeServices.none().withRoutes(r -> r
                .add("POST", "/v1/echo", req -> org.openledger.studio.daemon.http.Response.json(
                        req.json(JsonNode.class)))
                .add("GET", "/v1/query", req -> org.openledger.studio.daemon.http.Response.json(
                        java.util.Map.of("q", String.valueOf(req.query("q"))))));
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir, TOKEN, "fuzz",
                Duration.ofSeconds(2)), "1", services);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Thrown for an answer the oracle refuses. */
    static final class BadAnswer extends AssertionError {
        BadAnswer(String message) {
            super(message);
        }
    }

    static void send(byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            s.setSoTimeout(2000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n = in.read(buf); n >= 0 && got.size() < 1 << 20; n = in.read(buf)) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException | SocketException e) {
                // a request that declares more body than it sends is waited for, then cut: not a finding
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            if (text.length() < 12 || !text.startsWith("HTTP/1.")) {
                return; // closed unanswered: the request ended inside its head or its declared body
            }
            int status = Integer.parseInt(text.substring(9, 12));
            String head = text.substring(0, Math.max(0, text.indexOf("\r\n\r\n"))).toLowerCase();
            if (status >= 500 && status != 501 && status != 505) {
                throw new BadAnswer("status " + status + ": " + text.substring(0, Math.min(400, text.length())));
            }
            if (status >= 400 && !head.contains("content-type: application/json")) {
                throw new BadAnswer("a refusal that is not JSON: " + head);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static FuzzTarget requests() {
        String auth = "Authorization: Bearer " + TOKEN + "\r\n";
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":8}";
        List<byte[]> seeds = List.of(
                utf8("POST /v1/echo HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body),
                utf8("POST /v1/echo HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"),
                utf8("GET /v1/query?q=caf%C3%A9+x&limit=10 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"),
                utf8("GET /health HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n"),
                utf8("GET /v1/node HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"));
        return FuzzTarget.of("http-request", Format.TEXT, seeds, HttpRequestFuzzTest::send,
                Set.of(IOException.class));
    }

    static FuzzTarget jsonBodies() {
        String head = "POST /v1/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\n";
        List<byte[]> seeds = List.of(
                utf8("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":8,"
                        + "\"temperature\":0.7,\"stop\":[\"\\n\"],\"logprobs\":true,\"top_logprobs\":2}"),
                utf8("{\"credits\":[{\"account\":\"0x0000000000000000000000000000000000000001\",\"amount_wei\":"
                        + "\"1000\",\"reason\":\"r\"}]}"));
        return FuzzTarget.of("http-json-body", Format.JSON, seeds, b -> {
            byte[] h = utf8(head + "Content-Length: " + b.length + "\r\n\r\n");
            byte[] all = new byte[h.length + b.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(b, 0, all, h.length, b.length);
            send(all);
        }, Set.of(IOException.class));
    }

    private static void check(FuzzTarget target) throws IOException {
        Campaign.Report report = Campaign.fromSystemProperties().run(target, Path.of("src/test/resources/fuzz"));
        assertTrue(report.findings().isEmpty(), () -> report + ": " + report.findings());
        assertTrue(node.port() > 0);
    }

    @Test
    void wholeRequests() throws IOException {
        check(requests());
    }

    @Test
    void jsonBodiesOfTheNode() throws IOException {
        check(jsonBodies());
    }
}

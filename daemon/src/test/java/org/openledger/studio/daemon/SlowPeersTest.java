package org.openledger.studio.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.Wire;
import org.openledger.studio.daemon.http.ServerLimits;

/** Peers that open sockets, send part of a request and stop: they never stop the node, and the node cuts them off. */
class SlowPeersTest {

    private static final String TOKEN = "slow-peers-test-token-0123456789";

    @TempDir
    Path dir;

    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5))
            .callTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private Node node;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private Node start(ServerLimits limits) {
        NodeServices services = NodeServices.none().withRoutes(r -> r.add("POST", "/v1/echo",
                req -> org.openledger.studio.daemon.http.Response.json(req.json(JsonNode.class))));
        return Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir, TOKEN, "slow",
                Duration.ofSeconds(2), limits), "1", services);
    }

    /** A socket that sent {@code text} and then nothing. */
    private Socket stalled(String text) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port());
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private String partialBody(String path) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\": ";
    }

    /** How long until the node closes {@code s} (EOF or reset), reading and dropping anything it answers. */
    private static long closedWithin(Socket s, Duration limit) throws IOException {
        long start = System.nanoTime();
        s.setSoTimeout((int) limit.toMillis());
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // an answer before the close is fine; the node must close all the same
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the node kept a stalled socket open for " + limit.toMillis() + " ms");
        } catch (SocketException e) {
            // reset: closed
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private long healthMillis() throws IOException {
        long start = System.nanoTime();
        try (Response r = http.newCall(new Request.Builder().url(node.url() + "/health").build()).execute()) {
            assertEquals(200, r.code());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void stalledRequestLinesAndBodiesNeverStopHealthAndAreClosedAfterTheTimeOut() throws Exception {
        // the node used to serve on 2 x cores workers (4 here): 12 stalled sockets held all of them
        node = start(new ServerLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 32, 16));
        List<Socket> heads = new ArrayList<>();
        List<Socket> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            heads.add(stalled("GET /hea"));
            bodies.add(stalled(partialBody("/v1/echo")));
        }
        Thread.sleep(200); // the node has read what they sent and waits for more
        assertTrue(healthMillis() < 2000, "health answered late");
        for (Socket s : heads) {
            assertTrue(closedWithin(s, Duration.ofSeconds(4)) < 4000);
        }
        for (Socket s : bodies) {
            assertTrue(closedWithin(s, Duration.ofSeconds(4)) < 4000);
        }
        assertTrue(healthMillis() < 2000, "health answered late");
    }

    @Test
    void aJsonBodyTrickledByteByByteIsCutOffAtTheBodyDeadline() throws Exception {
        node = start(new ServerLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 32, 16));
        Socket s = stalled(partialBody("/v1/echo"));
        OutputStream out = s.getOutputStream();
        long start = System.nanoTime();
        boolean cut = false;
        for (int i = 0; i < 40 && !cut; i++) { // one byte every 250 ms: never a stall of 1 s, but 10 s in all
            Thread.sleep(250);
            try {
                out.write(' ');
                out.flush();
            } catch (IOException e) {
                cut = true;
            }
        }
        long took = cut ? (System.nanoTime() - start) / 1_000_000 : closedWithin(s, Duration.ofSeconds(1))
                + (System.nanoTime() - start) / 1_000_000;
        assertTrue(took < 5000, "a trickled body held a worker for " + took + " ms");
        assertTrue(took >= 1900, "gaps of 250 ms are no stall of 1 s; only the body deadline cuts it: " + took);
    }

    @Test
    void beyondItsLimitAnAddressGets429AndHealthStillAnswers() throws Exception {
        node = start(new ServerLimits(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), 3, 16));
        for (int i = 0; i < 3; i++) {
            stalled(partialBody("/v1/echo"));
        }
        Thread.sleep(300);
        okhttp3.RequestBody body = okhttp3.RequestBody.create("{\"a\": 1}", okhttp3.MediaType.get("application/json"));
        try (Response r = http.newCall(new Request.Builder().url(node.url() + "/v1/echo")
                .header("Authorization", "Bearer " + TOKEN).post(body).build()).execute()) {
            assertEquals(429, r.code());
            JsonNode err = Wire.mapper().readTree(r.body().string());
            assertEquals("too_many_connections", err.path("error").path("code").asText());
        }
        assertTrue(healthMillis() < 2000);
        Thread.sleep(2500); // the stalled ones are cut off; the address is served again
        try (Response r = http.newCall(new Request.Builder().url(node.url() + "/v1/echo")
                .header("Authorization", "Bearer " + TOKEN).post(body).build()).execute()) {
            assertEquals(200, r.code());
            assertEquals(1, Wire.mapper().readTree(r.body().string()).path("a").asInt());
        }
    }
}

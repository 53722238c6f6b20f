package org.openledger.studio.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.ApiError;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.api.Wire;

/** The node over a real loopback socket, called by the real client the studio uses. */
class NodeServerTest {

    private static final String TOKEN = "s3cret-token-for-tests";

    @TempDir
    Path dir;

    private final OkHttpClient http = NodeClient.defaultHttp();
    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Node start(Path data) throws Exception {
        return Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, data, TOKEN, "test-node",
                Duration.ofSeconds(5)), "9.9.9", NodeServices.none());
    }

    @Test
    void answersHealthWithoutTokenAndEverythingElseOnlyWithIt() throws Exception {
        node = start(dir);
        NodeClient anonymous = new NodeClient(http, node.url(), null);
        assertEquals("ok", anonymous.health().status());
        NodeClientException e = assertThrows(NodeClientException.class, anonymous::node);
        assertEquals(NodeClientException.Kind.UNAUTHORIZED, e.kind());
        assertEquals(401, e.status());
        assertEquals("authentication_error", e.error().error().type());

        NodeClient wrong = new NodeClient(http, node.url(), "not-the-token");
        NodeClientException w = assertThrows(NodeClientException.class, wrong::version);
        assertEquals(401, w.status());
        assertTrue(w.error().error().message().contains("token"), w.getMessage());

        NodeClient client = new NodeClient(http, node.url(), TOKEN);
        assertEquals("9.9.9", client.version().version());
        NodeInfo info = client.node();
        assertEquals(node.nodeId(), info.nodeId());
        assertEquals("test-node", info.name());
        assertTrue(info.devices().stream().anyMatch(d -> d.kind().equals("cpu")));
        assertTrue(info.host().cpuCores() > 0);
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithJsonBodies() throws Exception {
        node = start(dir);
        try (Response r = http.newCall(new Request.Builder().url(node.url() + "/v1/nothing-here")
                .header("Authorization", "Bearer " + TOKEN).build()).execute()) {
            assertEquals(404, r.code());
            assertEquals("application/json", r.header("Content-Type"));
            ApiError err = Wire.mapper().readValue(r.body().string(), ApiError.class);
            assertEquals("not_found", err.error().code());
            assertTrue(err.error().message().contains("/v1/nothing-here"));
        }
        try (Response r = http.newCall(new Request.Builder().url(node.url() + "/v1/node")
                .post(okhttp3.RequestBody.create(new byte[0])).header("Authorization", "Bearer " + TOKEN).build())
                .execute()) {
            assertEquals(405, r.code());
            assertEquals("GET", r.header("Allow"));
            JsonNode body = Wire.mapper().readTree(r.body().string());
            assertEquals("method_not_allowed", body.path("error").path("code").asText());
        }
    }

    @Test
    void withoutTheTokenUnknownPathsAndWrongMethodsAre401NotAMapOfTheRoutes() throws Exception {
        node = start(dir);
        for (Request req : java.util.List.of(new Request.Builder().url(node.url() + "/v1/nothing-here").build(),
                new Request.Builder().url(node.url() + "/v1/node").post(okhttp3.RequestBody.create(new byte[0]))
                        .build(),
                new Request.Builder().url(node.url() + "/health").post(okhttp3.RequestBody.create(new byte[0]))
                        .build())) {
            try (Response r = http.newCall(req).execute()) {
                assertEquals(401, r.code(), req.toString());
                assertEquals(null, r.header("Allow"));
                assertEquals("invalid_token", Wire.mapper().readTree(r.body().string()).path("error").path("code")
                        .asText());
            }
        }
    }

    @Test
    void aNodeWithoutAModelListsNoneAndSaysSoOnCompletions() throws Exception {
        node = start(dir);
        NodeClient client = new NodeClient(http, node.url(), TOKEN);
        assertTrue(client.models().data().isEmpty());
        NodeClientException e = assertThrows(NodeClientException.class, () -> client.chat(
                new org.openledger.studio.api.openai.ChatCompletionRequest("any", java.util.List.of(), null, null, null,
                        null, null, null, null, null, null, null, null, null, null, null, null)));
        assertEquals(404, e.status());
        assertEquals("model_not_found", e.error().error().code());
        assertTrue(e.getMessage().contains("--base-model"), e.getMessage());
    }

    @Test
    void metricsAreInPrometheusTextFormatAndCountRequests() throws Exception {
        node = start(dir);
        NodeClient client = new NodeClient(http, node.url(), TOKEN);
        client.node();
        client.node();
        assertThrows(NodeClientException.class, () -> new NodeClient(http, node.url(), "bad").node());
        String text = client.metrics();
        assertTrue(text.contains("# TYPE studio_http_requests_total counter"), text);
        assertTrue(text.contains("studio_http_requests_total{method=\"GET\",route=\"/v1/node\",status=\"200\"} 2"), text);
        assertTrue(text.contains("studio_http_requests_total{method=\"GET\",route=\"/v1/node\",status=\"401\"} 1"), text);
        assertTrue(text.contains("studio_http_auth_rejected_total 1"), text);
        assertTrue(text.contains("studio_build_info{version=\"9.9.9\"} 1"), text);
    }

    @Test
    void keepsItsIdAcrossRestarts() throws Exception {
        node = start(dir);
        String id = node.nodeId();
        node.close();
        node = start(dir);
        assertEquals(id, node.nodeId());
    }

    @Test
    void aBusyPortGivesAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NodeStartException e = assertThrows(NodeStartException.class,
                    () -> Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), taken.getLocalPort(), dir, TOKEN,
                            "n", Duration.ofSeconds(1)), "1", NodeServices.none()));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
        }
        node = start(dir); // the data folder is still usable afterwards
        assertNotNull(node.nodeId());
    }

    @Test
    void anUnusableDataFolderGivesAClearMessage() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        var e = assertThrows(org.openledger.studio.store.StorageException.class, () -> start(file.resolve("data")));
        assertTrue(e.getMessage().contains(file.resolve("data").toString()), e.getMessage());
    }

    @Test
    void shutdownLetsARequestInFlightFinishThenRefusesConnections() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir, TOKEN, "n", Duration.ofSeconds(5)),
                "1", NodeServices.none().withRoutes(r -> r.add("GET", "/test/slow", req -> {
                    inHandler.countDown();
                    Thread.sleep(700);
                    return org.openledger.studio.daemon.http.Response.json(java.util.Map.of("done", true));
                })));
        var url = node.url();
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> {
            try (Response r = http.newCall(new Request.Builder().url(url + "/test/slow")
                    .header("Authorization", "Bearer " + TOKEN).build()).execute()) {
                return r.body().string().contains("\"done\":true") ? r.code() : -1;
            } catch (Exception e) {
                return -2;
            }
        });
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        node.close();
        node = null;
        assertEquals(200, slow.get(5, TimeUnit.SECONDS));
        NodeClientException e = assertThrows(NodeClientException.class, () -> new NodeClient(http, url, TOKEN).health());
        assertEquals(NodeClientException.Kind.UNREACHABLE, e.kind());
    }

    @Test
    void aHandlerFailureIsA500JsonErrorAndTheNodeKeepsServing() throws Exception {
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir, TOKEN, "n", Duration.ofSeconds(1)),
                "1", NodeServices.none().withRoutes(r -> r.add("GET", "/test/boom", req -> {
                    throw new IllegalStateException("kaput");
                })));
        NodeClient client = new NodeClient(http, node.url(), TOKEN);
        NodeClientException e = assertThrows(NodeClientException.class, () -> client.get("test/boom", JsonNode.class));
        assertEquals(500, e.status());
        assertEquals("server_error", e.error().error().type());
        assertEquals("ok", client.health().status());
    }

    @Test
    void configNeverPrintsTheToken() {
        var config = new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir, TOKEN, "n", Duration.ofSeconds(1));
        assertTrue(!config.toString().contains(TOKEN));
    }
}

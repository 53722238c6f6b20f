package org.openledger.studio.daemon.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.api.Wire;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.lora.TinyAdapters;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;

/** The node's OpenAI-compatible API over a real socket, on a tiny real model with real LoRA adapters. */
class InferenceApiTest {

    private static final String TOKEN = "inference-test-token-0123456789";
    private static final MediaType JSON = MediaType.get("application/json");

    @TempDir
    static Path dir;

    private static Node node;
    private static String baseId;
    private static final OkHttpClient http = NodeClient.defaultHttp();

    @BeforeAll
    static void start() throws Exception {
        Path model = dir.resolve("tiny-chat");
        ModelConfig c = TinyModels.chatModel(model, 7);
        Path adapters = dir.resolve("adapters");
        TinyAdapters.random("strong", c, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 3, false)
                .save(adapters.resolve("strong"));
        TinyAdapters.random("zero-b", c, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 4, true)
                .save(adapters.resolve("zero-b"));
        // an adapter whose weights were cut short: refused per request, never fatal to the node
        Path broken = adapters.resolve("broken");
        TinyAdapters.random("broken", c, 4, 8, EnumSet.of(Projection.Q), false, 5, false).save(broken);
        Path weights = broken.resolve("adapter_model.safetensors");
        byte[] bytes = java.nio.file.Files.readAllBytes(weights);
        java.nio.file.Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        BaseModel base = BaseModel.load(model, ComputeDevice.cpu("test cpu", 8L << 30, 4L << 30), 8, 128);
        baseId = base.id();
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                Duration.ofSeconds(5)), "1", InferenceServices.of(ServedModels.of(base, adapters, 4), 8));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static JsonNode post(String path, Object body, int expectedStatus) throws Exception {
        String json = body instanceof String s ? s : Wire.mapper().writeValueAsString(body);
        try (Response r = http.newCall(new Request.Builder().url(node.url() + path)
                .header("Authorization", "Bearer " + TOKEN).post(RequestBody.create(json, JSON)).build()).execute()) {
            String text = r.body().string();
            assertEquals(expectedStatus, r.code(), text);
            return Wire.mapper().readTree(text);
        }
    }

    private static String stream(String path, ObjectNode body) throws Exception {
        body.put("stream", true);
        try (Response r = http.newCall(new Request.Builder().url(node.url() + path)
                .header("Authorization", "Bearer " + TOKEN)
                .post(RequestBody.create(Wire.mapper().writeValueAsString(body), JSON)).build()).execute()) {
            assertEquals(200, r.code());
            assertTrue(r.header("Content-Type").startsWith("text/event-stream"));
            return r.body().string();
        }
    }

    private static ObjectNode completion(String model, String prompt, int maxTokens) {
        ObjectNode b = Wire.mapper().createObjectNode();
        if (model != null) {
            b.put("model", model);
        }
        b.put("prompt", prompt);
        b.put("max_tokens", maxTokens);
        b.put("temperature", 0);
        return b;
    }

    @Test
    void listsTheBaseModelAndItsAdapters() throws Exception {
        var list = new NodeClient(http, node.url(), TOKEN).get("v1/models", JsonNode.class);
        assertEquals("list", list.path("object").asText());
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertEquals(List.of(baseId, "broken", "strong", "zero-b"), ids);
        assertEquals(baseId, list.path("data").get(2).path("parent").asText());
        NodeInfo info = new NodeClient(http, node.url(), TOKEN).node();
        assertTrue(info.capabilities().stream().anyMatch(c -> c.name().equals("inference") && c.available()));
    }

    @Test
    void greedyCompletionIsDeterministicAndCountsTokens() throws Exception {
        JsonNode a = post("/v1/completions", completion(baseId, "The cat sat on", 6), 200);
        JsonNode b = post("/v1/completions", completion(baseId, "The cat sat on", 6), 200);
        assertEquals("text_completion", a.path("object").asText());
        assertEquals(a.path("choices").get(0).path("text"), b.path("choices").get(0).path("text"));
        JsonNode usage = a.path("usage");
        assertTrue(usage.path("prompt_tokens").asInt() > 0);
        assertEquals(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt(),
                usage.path("total_tokens").asInt());
        assertTrue(List.of("stop", "length").contains(a.path("choices").get(0).path("finish_reason").asText()));
    }

    @Test
    void tokenIdPromptsWithEchoAndLogprobsScoreThePrompt() throws Exception {
        ObjectNode body = Wire.mapper().createObjectNode();
        body.put("model", baseId);
        body.putArray("prompt").add(5).add(17).add(42).add(9);
        body.put("max_tokens", 3);
        body.put("temperature", 0);
        body.put("echo", true);
        body.put("logprobs", 2);
        JsonNode lp = post("/v1/completions", body, 200).path("choices").get(0).path("logprobs");
        int completionTokens = lp.path("tokens").size() - 4;
        assertTrue(completionTokens >= 1 && completionTokens <= 3, lp.toString());
        assertTrue(lp.path("token_logprobs").get(0).isNull(), "the first prompt token has no context to score it");
        assertTrue(lp.path("token_logprobs").get(1).asDouble() < 0);
        assertEquals(2, lp.path("top_logprobs").get(5).size(), lp.toString());
        assertEquals(0, lp.path("text_offset").get(0).asInt());
    }

    @Test
    void streamedTextEqualsTheWholeAnswer() throws Exception {
        String whole = post("/v1/completions", completion(baseId, "Hello world", 8), 200)
                .path("choices").get(0).path("text").asText();
        String sse = stream("/v1/completions", completion(baseId, "Hello world", 8));
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String block : sse.split("\n\n")) {
            assertTrue(block.startsWith("data: "), block);
            String data = block.substring(6);
            if (data.equals("[DONE]")) {
                continue;
            }
            JsonNode chunk = Wire.mapper().readTree(data);
            for (JsonNode c : chunk.path("choices")) {
                text.append(c.path("text").asText());
                if (c.hasNonNull("finish_reason")) {
                    finish = c.path("finish_reason").asText();
                }
            }
        }
        assertTrue(sse.endsWith("data: [DONE]\n\n"));
        assertEquals(whole, text.toString());
        assertTrue(finish != null);
    }

    @Test
    void chatThroughTheTemplateAndStreamed() throws Exception {
        ObjectNode body = Wire.mapper().createObjectNode();
        body.put("model", baseId);
        body.putArray("messages").addObject().put("role", "user").put("content", "Hello there");
        body.put("max_tokens", 5);
        body.put("temperature", 0);
        JsonNode r = post("/v1/chat/completions", body, 200);
        assertEquals("chat.completion", r.path("object").asText());
        assertEquals("assistant", r.path("choices").get(0).path("message").path("role").asText());
        String sse = stream("/v1/chat/completions", body);
        assertTrue(sse.contains("\"object\":\"chat.completion.chunk\""));
        assertTrue(sse.contains("\"role\":\"assistant\""));
        StringBuilder text = new StringBuilder();
        for (String block : sse.split("\n\n")) {
            String data = block.substring(6);
            if (!data.equals("[DONE]")) {
                Wire.mapper().readTree(data).path("choices")
                        .forEach(c -> text.append(c.path("delta").path("content").asText("")));
            }
        }
        assertEquals(r.path("choices").get(0).path("message").path("content").asText(), text.toString());
    }

    @Test
    void logitBiasSteersTheChoice() throws Exception {
        ObjectNode plain = completion(baseId, "The cat sat on", 3);
        plain.put("logprobs", 0);
        ObjectNode biased = plain.deepCopy();
        biased.putObject("logit_bias").put("42", 100);
        JsonNode without = post("/v1/completions", plain, 200).path("choices").get(0).path("logprobs").path("tokens");
        JsonNode with = post("/v1/completions", biased, 200).path("choices").get(0).path("logprobs").path("tokens");
        assertEquals(3, with.size(), with.toString());
        // +100 on one token makes greedy decoding pick it at every step
        assertEquals(with.get(0), with.get(1));
        assertEquals(with.get(1), with.get(2));
        assertNotEquals(without, with);
    }

    @Test
    void chatWithoutALimitUsesWhatTheContextLeaves() throws Exception {
        ObjectNode body = Wire.mapper().createObjectNode();
        body.put("model", baseId);
        body.putArray("messages").addObject().put("role", "user").put("content", "Hello there");
        body.put("temperature", 0);
        body.put("seed", 1);
        JsonNode usage = post("/v1/chat/completions", body, 200).path("usage");
        assertTrue(usage.path("total_tokens").asInt() <= 128, usage.toString());
        assertTrue(usage.path("completion_tokens").asInt() > 0, usage.toString());
        ObjectNode negative = body.deepCopy();
        negative.put("max_tokens", -3);
        assertEquals("max_tokens", post("/v1/chat/completions", negative, 400).path("error").path("param").asText());
    }

    @Test
    void adaptersAreNamedInModelAndAZeroAdapterEqualsTheBase() throws Exception {
        String base = post("/v1/completions", completion(baseId, "Once upon a time", 8), 200)
                .path("choices").get(0).path("text").asText();
        String zero = post("/v1/completions", completion("zero-b", "Once upon a time", 8), 200)
                .path("choices").get(0).path("text").asText();
        JsonNode strong = post("/v1/completions", completion("strong", "Once upon a time", 8), 200);
        assertEquals(base, zero);
        assertEquals("strong", strong.path("model").asText());
        assertNotEquals(base, strong.path("choices").get(0).path("text").asText());
    }

    @Test
    void concurrentRequestsShareBatchesAndGetTheirOwnAnswers() throws Exception {
        List<String> prompts = List.of("The cat", "The dog", "Hello", "Once upon");
        List<String> alone = new ArrayList<>();
        for (String p : prompts) {
            alone.add(post("/v1/completions", completion(p.length() % 2 == 0 ? "strong" : baseId, p, 6), 200)
                    .path("choices").get(0).path("text").asText());
        }
        List<CompletableFuture<String>> together = new ArrayList<>();
        for (String p : prompts) {
            together.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post("/v1/completions", completion(p.length() % 2 == 0 ? "strong" : baseId, p, 6), 200)
                            .path("choices").get(0).path("text").asText();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (int i = 0; i < prompts.size(); i++) {
            assertEquals(alone.get(i), together.get(i).get());
        }
    }

    @Test
    void badRequestsGetOpenAiErrorsAndTheNodeKeepsServing() throws Exception {
        JsonNode unknown = post("/v1/completions", completion("no-such-model", "hi", 2), 404).path("error");
        assertEquals("model_not_found", unknown.path("code").asText());
        assertEquals("model", unknown.path("param").asText());

        ObjectNode hot = completion(baseId, "hi", 2);
        hot.put("temperature", 5);
        assertEquals("temperature", post("/v1/completions", hot, 400).path("error").path("param").asText());

        ObjectNode tooLong = completion(baseId, "word ".repeat(400), 2);
        JsonNode longErr = post("/v1/completions", tooLong, 400).path("error");
        assertEquals("prompt", longErr.path("param").asText());
        assertTrue(longErr.path("message").asText().contains("tokens"), longErr.toString());

        ObjectNode badIds = Wire.mapper().createObjectNode();
        badIds.put("model", baseId);
        badIds.putArray("prompt").add(1).add(999_999);
        assertEquals("prompt", post("/v1/completions", badIds, 400).path("error").path("param").asText());

        assertEquals("invalid_request_error", post("/v1/completions", "{not json", 400).path("error").path("type").asText());
        JsonNode noMessages = post("/v1/chat/completions", "{\"model\":\"" + baseId + "\",\"messages\":[]}", 400);
        assertEquals("messages", noMessages.path("error").path("param").asText());

        JsonNode broken = post("/v1/completions", completion("broken", "hi", 2), 400).path("error");
        assertEquals("model_unusable", broken.path("code").asText());
        assertTrue(broken.path("message").asText().contains("adapter_model.safetensors")
                || broken.path("message").asText().toLowerCase().contains("truncated"), broken.toString());

        ObjectNode penalty = completion(baseId, "hi", 2);
        penalty.put("presence_penalty", 3.5);
        assertEquals("presence_penalty", post("/v1/completions", penalty, 400).path("error").path("param").asText());
        ObjectNode bias = completion(baseId, "hi", 2);
        bias.putObject("logit_bias").put("the", 5);
        assertEquals("logit_bias", post("/v1/completions", bias, 400).path("error").path("param").asText());

        ObjectNode streamedUnknown = completion("nope", "hi", 2);
        streamedUnknown.put("stream", true);
        assertEquals("model_not_found", post("/v1/completions", streamedUnknown, 404).path("error").path("code").asText());

        String ok = post("/v1/completions", completion(baseId, "The cat", 2), 200).path("object").asText();
        assertEquals("text_completion", ok);
    }

    @Test
    void maxTokensNearIntegerMaxIsRefusedNamingTheParamEvenWithTheEndTokenBanned() throws Exception {
        for (String path : List.of("/v1/completions", "/v1/chat/completions")) {
            ObjectNode b = path.endsWith("chat/completions") ? chatBody("Hi") : completion(baseId, "The cat", 2);
            b.put("max_tokens", Integer.MAX_VALUE);
            b.putObject("logit_bias").put("0", -100).put("1", -100); // the end tokens banned: it would never stop
            JsonNode err = post(path, b, 400).path("error");
            assertEquals("max_tokens", err.path("param").asText(), err.toString());
            assertTrue(err.path("message").asText().contains("context"), err.toString());
        }
        ObjectNode chat = chatBody("Hi");
        chat.put("max_completion_tokens", Integer.MAX_VALUE - 3);
        assertEquals(400, post("/v1/chat/completions", chat, 400).path("error").isObject() ? 400 : 0);
    }

    private static ObjectNode chatBody(String text) {
        ObjectNode b = Wire.mapper().createObjectNode();
        b.put("model", baseId);
        b.put("temperature", 0);
        b.putArray("messages").addObject().put("role", "user").put("content", text);
        return b;
    }

    @Test
    void nullBodiesAndNullElementsAre400sNamingTheParam() throws Exception {
        for (String path : List.of("/v1/completions", "/v1/chat/completions")) {
            assertEquals(400, postStatus(path, "null"));
            assertEquals(400, postStatus(path, "[null]"));
            assertEquals(400, postStatus(path, "{}"));
        }
        assertEquals("messages[0]", post("/v1/chat/completions", "{\"model\":\"" + baseId
                + "\",\"messages\":[null]}", 400).path("error").path("param").asText());
        assertEquals("stop[0]", post("/v1/completions", "{\"model\":\"" + baseId
                + "\",\"prompt\":\"a\",\"stop\":[null]}", 400).path("error").path("param").asText());
        assertEquals("prompt[0]", post("/v1/completions", "{\"model\":\"" + baseId
                + "\",\"prompt\":[null]}", 400).path("error").path("param").asText());
        assertEquals(400, postStatus("/v1/chat/completions", "{\"model\":\"" + baseId + "\",\"messages\":[{}]}"));
    }

    private static int postStatus(String path, String json) throws Exception {
        try (Response r = http.newCall(new Request.Builder().url(node.url() + path)
                .header("Authorization", "Bearer " + TOKEN).post(RequestBody.create(json, JSON)).build()).execute()) {
            String text = r.body().string();
            assertTrue(r.code() < 500, path + " " + json + " -> " + r.code() + " " + text);
            assertTrue(Wire.mapper().readTree(text).path("error").isObject(), text);
            return r.code();
        }
    }

    private static long tokensGenerated() throws Exception {
        try (Response r = http.newCall(new Request.Builder().url(node.url() + "/metrics")
                .header("Authorization", "Bearer " + TOKEN).build()).execute()) {
            for (String line : r.body().string().split("\n")) {
                if (line.startsWith("studio_inference_tokens_total ")) {
                    return Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
                }
            }
        }
        throw new AssertionError("no studio_inference_tokens_total in /metrics");
    }

    @Test
    void aStreamWhoseClientClosesMidStreamStopsItsRowAndLeavesTheNodeServing() throws Exception {
        long before = tokensGenerated();
        ObjectNode b = completion(baseId, "The cat", 100);
        b.putObject("logit_bias").put("0", -100).put("1", -100);
        b.put("stream", true);
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), node.port())) {
            byte[] json = Wire.mapper().writeValueAsBytes(b);
            s.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().write(json);
            s.getOutputStream().flush();
            s.setSoTimeout(10_000);
            byte[] first = new byte[64];
            assertTrue(s.getInputStream().read(first) > 0, "the stream started");
            s.setSoLinger(true, 0); // reset: the node's next write fails
        }
        long start = System.nanoTime();
        assertEquals("text_completion", post("/v1/completions", completion(baseId, "The cat", 2), 200)
                .path("object").asText());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
        // the next request ran after the abandoned row's batch: whatever that row made is counted by now
        long made = tokensGenerated() - before - 2;
        assertTrue(made < 50, "the row whose client left made " + made + " of its 100 tokens");
        String metrics;
        try (Response r = http.newCall(new Request.Builder().url(node.url() + "/metrics")
                .header("Authorization", "Bearer " + TOKEN).build()).execute()) {
            metrics = r.body().string();
        }
        assertTrue(!metrics.contains("route=\"/v1/completions\",status=\"500\""), metrics);
        for (String counter : new String[] {"studio_lora_merges_total ", "studio_lora_merged_steps_total ",
                "studio_lora_split_steps_total "}) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith(counter) && l.substring(counter.length()).matches(
                    "\\d+")), counter + " in " + metrics);
        }
    }
}

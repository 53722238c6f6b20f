package org.openledger.studio.daemon.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.model.TinyModels;

/** Fine-tuning jobs over a real socket: LoRA training on a tiny real model, the adapter served at once. */
class FineTuneApiTest {

    private static final String TOKEN = "fine-tune-test-token-0123456789";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String CORPUS = "The lighthouse keeper counts the waves every night. ".repeat(12);

    @TempDir
    static Path dir;

    private static Node node;
    private static String baseId;
    private static BaseModel base;
    private static final OkHttpClient http = NodeClient.defaultHttp();

    @BeforeAll
    static void start() throws Exception {
        Path model = dir.resolve("tiny-chat");
        TinyModels.chatModel(model, 7);
        base = BaseModel.load(model, ComputeDevice.cpu("test cpu", 8L << 30, 4L << 30), 4, 128);
        baseId = base.id();
        Path adapters = dir.resolve("adapters");
        var services = FineTuneServices.add(InferenceServices.of(ServedModels.of(base, adapters, 4), 4), base,
                adapters, dir.resolve("node"));
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                Duration.ofSeconds(5)), "1", services);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static JsonNode call(String method, String path, Object body, int expectedStatus) throws Exception {
        Request.Builder b = new Request.Builder().url(node.url() + path).header("Authorization", "Bearer " + TOKEN);
        if (body != null) {
            b.method(method, RequestBody.create(body instanceof String s ? s : Wire.mapper().writeValueAsString(body),
                    JSON));
        } else if (method.equals("POST")) {
            b.post(RequestBody.create(new byte[0]));
        }
        try (Response r = http.newCall(b.build()).execute()) {
            String text = r.body().string();
            assertEquals(expectedStatus, r.code(), text);
            return Wire.mapper().readTree(text);
        }
    }

    private static FineTuneRequest request(String text, int epochs, Integer rank, Double dropout,
                                           List<String> targets, String suffix) {
        return new FineTuneRequest(baseId, text, new FineTuneRequest.Hyperparameters(epochs, 2, 2.0),
                new FineTuneRequest.Lora(rank, null, dropout, targets), suffix, 5L);
    }

    private static JsonNode awaitFinished(String id) throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            JsonNode job = call("GET", "/v1/fine_tuning/jobs/" + id, null, 200);
            if (List.of("succeeded", "failed", "cancelled").contains(job.path("status").asText())) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " did not finish in 60 s");
    }

    @Test
    void aJobTrainsAnAdapterThatIsServedAtOnce() throws Exception {
        JsonNode created = call("POST", "/v1/fine_tuning/jobs",
                request(CORPUS, 1, 4, 0.1, List.of("q_proj", "v_proj"), "waves"), 200);
        assertEquals(0.1, created.path("lora").path("dropout").asDouble(), 1e-12);
        assertEquals("fine_tuning.job", created.path("object").asText());
        assertTrue(List.of("queued", "running").contains(created.path("status").asText()), created.toString());
        String id = created.path("id").asText();

        // streamed events arrive as the job runs and end when it does
        String sse;
        try (Response r = http.newCall(new Request.Builder()
                .url(node.url() + "/v1/fine_tuning/jobs/" + id + "/events?stream=true")
                .header("Authorization", "Bearer " + TOKEN).build()).execute()) {
            assertEquals(200, r.code());
            assertTrue(r.header("Content-Type").startsWith("text/event-stream"));
            sse = r.body().string();
        }
        assertTrue(sse.contains("\"type\":\"metrics\""), sse);
        assertTrue(sse.contains("is ready"), sse);
        assertTrue(sse.endsWith("data: [DONE]\n\n"), sse);

        JsonNode done = awaitFinished(id);
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        String adapter = done.path("fine_tuned_model").asText();
        assertTrue(adapter.startsWith(baseId + "-ft-waves-"), adapter);
        assertTrue(done.path("trained_tokens").asLong() > 0);
        assertTrue(Files.isRegularFile(dir.resolve("adapters").resolve(adapter).resolve("adapter_model.safetensors")));
        assertEquals(0.1, Wire.mapper().readTree(dir.resolve("adapters").resolve(adapter)
                .resolve("adapter_config.json").toFile()).path("lora_dropout").asDouble(), 1e-12);

        List<String> ids = new ArrayList<>();
        call("GET", "/v1/models", null, 200).path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertTrue(ids.contains(adapter), ids.toString());

        ObjectNode completion = Wire.mapper().createObjectNode();
        completion.put("model", adapter);
        completion.put("prompt", "The lighthouse keeper");
        completion.put("max_tokens", 4);
        completion.put("temperature", 0);
        assertEquals(adapter, call("POST", "/v1/completions", completion, 200).path("model").asText());

        JsonNode events = call("GET", "/v1/fine_tuning/jobs/" + id + "/events", null, 200).path("data");
        boolean metrics = false;
        for (JsonNode e : events) {
            if (e.path("type").asText().equals("metrics")) {
                metrics = true;
                assertTrue(e.path("data").path("train_loss").asDouble() > 0, e.toString());
                assertTrue(e.path("data").path("tokens_per_second").asDouble() > 0, e.toString());
            }
        }
        assertTrue(metrics, events.toString());

        boolean listed = false;
        for (JsonNode j : call("GET", "/v1/fine_tuning/jobs", null, 200).path("data")) {
            listed |= j.path("id").asText().equals(id);
        }
        assertTrue(listed);
    }

    @Test
    void badHyperparametersAreRefusedNamingTheParameter() throws Exception {
        assertEquals("hyperparameters.n_epochs", call("POST", "/v1/fine_tuning/jobs",
                request(CORPUS, 0, 4, null, null, null), 400).path("error").path("param").asText());
        assertEquals("lora.r", call("POST", "/v1/fine_tuning/jobs",
                request(CORPUS, 1, 0, null, null, null), 400).path("error").path("param").asText());
        assertEquals("lora.dropout", call("POST", "/v1/fine_tuning/jobs",
                request(CORPUS, 1, 4, 0.9, null, null), 400).path("error").path("param").asText());
        assertEquals("lora.target_modules", call("POST", "/v1/fine_tuning/jobs",
                request(CORPUS, 1, 4, null, List.of("wq"), null), 400).path("error").path("param").asText());
        assertEquals("suffix", call("POST", "/v1/fine_tuning/jobs",
                request(CORPUS, 1, 4, null, null, "no spaces"), 400).path("error").path("param").asText());
        assertEquals("training_text", call("POST", "/v1/fine_tuning/jobs",
                request(" ", 1, 4, null, null, null), 400).path("error").path("param").asText());
        assertEquals("training_text", call("POST", "/v1/fine_tuning/jobs",
                request("{\"text\":\"a\"}\n{\"nope\":1}", 1, 4, null, null, null), 400)
                .path("error").path("param").asText());
        FineTuneRequest lr = new FineTuneRequest(baseId, CORPUS, new FineTuneRequest.Hyperparameters(1, 2, 50.0),
                null, null, null);
        assertEquals("hyperparameters.learning_rate_multiplier", call("POST", "/v1/fine_tuning/jobs", lr, 400)
                .path("error").path("param").asText());
        for (int accumulation : new int[] {0, 65}) {
            FineTuneRequest acc = new FineTuneRequest(baseId, CORPUS, new FineTuneRequest.Hyperparameters(1, 2, 1.0,
                    null, null, null, accumulation), null, null, null);
            assertEquals("hyperparameters.gradient_accumulation_steps", call("POST", "/v1/fine_tuning/jobs", acc,
                    400).path("error").path("param").asText());
        }
        FineTuneRequest other = new FineTuneRequest("another-model", CORPUS, null, null, null, null);
        assertEquals("model", call("POST", "/v1/fine_tuning/jobs", other, 400).path("error").path("param").asText());
        call("GET", "/v1/fine_tuning/jobs/ftjob-nope", null, 404);
        call("POST", "/v1/fine_tuning/jobs/ftjob-nope/cancel", null, 404);
    }

    @Test
    void aCancelledJobStopsAndLeavesNoAdapter() throws Exception {
        String jsonl = "{\"prompt\":\"Q: where? \",\"response\":\"A: by the sea.\"}\n".repeat(40);
        JsonNode created = call("POST", "/v1/fine_tuning/jobs", request(jsonl, 50, 4, null, null, "long"), 200);
        String id = created.path("id").asText();
        JsonNode cancelling = call("POST", "/v1/fine_tuning/jobs/" + id + "/cancel", null, 200);
        assertEquals(id, cancelling.path("id").asText());
        JsonNode done = awaitFinished(id);
        assertEquals("cancelled", done.path("status").asText(), done.toString());
        assertTrue(done.path("fine_tuned_model").isMissingNode() || done.path("fine_tuned_model").isNull());
        List<String> ids = new ArrayList<>();
        call("GET", "/v1/models", null, 200).path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertFalse(ids.stream().anyMatch(m -> m.contains("-ft-long-")), ids.toString());
        assertEquals("cancelled", call("POST", "/v1/fine_tuning/jobs/" + id + "/cancel", null, 200)
                .path("status").asText());
    }

    @Test
    void aJobRunningWithoutACheckpointWhenTheNodeDiedIsMarkedFailedOnTheNextStart(@TempDir Path data) {
        FineTuneJob running = new FineTuneJob("ftjob-0123456789abcdef", "fine_tuning.job", 1, null, baseId, null,
                "running", new FineTuneRequest.Hyperparameters(1, 2, 1.0), new FineTuneRequest.Lora(4, 8.0, 0.0,
                List.of("q_proj")), 3, null, null, null);
        try (FineTuneStore store = FineTuneStore.open(data)) {
            store.insert(running, CORPUS, List.of());
        }
        try (FineTuneJobs jobs = FineTuneJobs.open(base, dir.resolve("adapters"), data, DatanetRows.NONE)) {
            FineTuneJob after = jobs.get(running.id());
            assertEquals("failed", after.status());
            assertEquals("node_restarted", after.error().code());
            assertTrue(after.finishedAt() != null);
        } catch (UnknownJobException e) {
            throw new AssertionError("the job was lost on restart", e);
        }
    }
}

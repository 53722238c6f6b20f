package org.openledger.studio.app.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.app.StudioDaemon;
import org.openledger.studio.app.StudioProcess;

/**
 * {@code studio finetune pull} from one real {@code studio daemon} and {@code push} to another, both serving the
 * same tiny real model: the adapter a job trained on node A answers the same greedy tokens on node B.
 */
class FineTunePullPushCommandLineTest {

    private static final String TOKEN_A = "aaaaaaaaaaaaaaaa0123456789abcdef";
    private static final String TOKEN_B = "bbbbbbbbbbbbbbbb0123456789abcdef";

    @TempDir
    Path dir;

    private StudioDaemon start(String name, Path token, String tokenValue) throws Exception {
        return StudioDaemon.in(dir, name).token(token, tokenValue).tinyChatModel().start(90);
    }

    private static FineTuneJob await(NodeClient client, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            FineTuneJob job = client.fineTuneJob(id);
            if (job.finished()) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    private static JsonNode greedy(StudioDaemon d, String token, String model) throws Exception {
        ObjectNode body = Wire.mapper().createObjectNode();
        body.put("model", model);
        body.put("prompt", "Where is the keeper?");
        body.put("max_tokens", 8);
        body.put("temperature", 0);
        body.put("seed", 5);
        body.put("logprobs", 1);
        try (Response r = NodeClient.defaultHttp().newCall(new Request.Builder().url(d.url() + "/v1/completions")
                .header("Authorization", "Bearer " + token)
                .post(RequestBody.create(Wire.mapper().writeValueAsString(body), MediaType.get("application/json")))
                .build()).execute()) {
            String text = r.body().string();
            assertEquals(200, r.code(), text);
            return Wire.mapper().readTree(text).path("choices").get(0);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void assertOneLineFailure(StudioProcess.Result r, String expected) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void pullFromOneNodePushToAnotherSameGreedyTokens() throws Exception {
        Path tokenA = Files.writeString(dir.resolve("token-a"), TOKEN_A + "\n");
        Path tokenB = Files.writeString(dir.resolve("token-b"), TOKEN_B + "\n");
        try (StudioDaemon a = start("node-a", tokenA, TOKEN_A); StudioDaemon b = start("node-b", tokenB, TOKEN_B)) {
            String data = "{\"prompt\":\"Where is the keeper? \",\"response\":\"By the lighthouse, counting waves.\"}\n"
                    .repeat(20);
            FineTuneJob trained = a.client().createFineTuneJob(new FineTuneRequest(null, data,
                    new FineTuneRequest.Hyperparameters(1, 2, 2.0), new FineTuneRequest.Lora(4, null, null, null),
                    "pull", 3L));
            FineTuneJob queued = a.client().createFineTuneJob(new FineTuneRequest(null, data,
                    new FineTuneRequest.Hyperparameters(1, 2, 2.0), new FineTuneRequest.Lora(4, null, null, null),
                    "never", 4L));
            a.client().cancelFineTuneJob(queued.id());
            FineTuneJob done = await(a.client(), trained.id());
            assertEquals("succeeded", done.status(), String.valueOf(done.error()));
            String adapter = done.fineTunedModel();
            assertEquals("cancelled", await(a.client(), queued.id()).status());

            // pull by job id: every file, each equal to the node's
            Path out = dir.resolve("pulled").resolve(adapter);
            StudioProcess.Result pull = StudioProcess.run(dir, "finetune", "pull", done.id(), "--out", out.toString(),
                    "--url", a.url(), "--token-file", tokenA.toString());
            assertEquals(0, pull.code(), pull.out() + pull.err());
            assertTrue(pull.out().contains(adapter), pull.out());
            AdapterFiles listed = a.client().adapterFiles(adapter);
            List<String> names = new ArrayList<>();
            try (var s = Files.list(out)) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            }
            assertEquals(listed.files().size(), names.size(), names.toString());
            Path served = dir.resolve("node-a").resolve("adapters").resolve(adapter);
            for (AdapterFiles.File f : listed.files()) {
                assertEquals(f.sha256(), sha256(out.resolve(f.name())), f.name());
                assertEquals(sha256(served.resolve(f.name())), sha256(out.resolve(f.name())), f.name());
            }
            try (var s = Files.list(dir.resolve("pulled"))) {
                assertEquals(1, s.count(), "no temporary folder left beside --out");
            }

            // push to node B, then both nodes answer the same greedy tokens with it
            StudioProcess.Result push = StudioProcess.run(dir, "finetune", "push", out.toString(), "--to", b.url(),
                    "--to-token-file", tokenB.toString());
            assertEquals(0, push.code(), push.out() + push.err());
            assertEquals(adapter, push.out().strip());
            assertTrue(b.client().models().data().stream().anyMatch(m -> m.id().equals(adapter)));
            assertEquals(listed.files(), b.client().adapterFiles(adapter).files());
            JsonNode fromA = greedy(a, TOKEN_A, adapter);
            JsonNode fromB = greedy(b, TOKEN_B, adapter);
            assertEquals(fromA.path("logprobs").path("tokens"), fromB.path("logprobs").path("tokens"));
            assertEquals(fromA.path("text").asText(), fromB.path("text").asText());

            // pushed again under the same id: the node keeps what it serves
            assertOneLineFailure(StudioProcess.run(dir, "finetune", "push", out.toString(), "--to", b.url(),
                    "--to-token-file", tokenB.toString()), "409");

            // a file changed on the node behind its listed hash (same size, same time): caught, nothing written
            Path weights = served.resolve("adapter_model.safetensors");
            byte[] original = Files.readAllBytes(weights);
            FileTime time = Files.getLastModifiedTime(weights);
            byte[] changed = original.clone();
            changed[changed.length - 1] ^= 0x5a;
            Files.write(weights, changed);
            Files.setLastModifiedTime(weights, time);
            Path tampered = dir.resolve("tampered");
            StudioProcess.Result bad = StudioProcess.run(dir, "finetune", "pull", adapter, "--out",
                    tampered.toString(), "--url", a.url(), "--token-file", tokenA.toString());
            assertOneLineFailure(bad, "'adapter_model.safetensors' arrived as");
            assertFalse(Files.exists(tampered), "nothing left in --out");
            try (var s = Files.list(dir)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".tampered")),
                        "no temporary folder left");
            }
            Files.write(weights, original);

            // bad input: one line on stderr, exit 1
            assertOneLineFailure(StudioProcess.run(dir, "finetune", "pull", "no-such-adapter", "--out",
                    dir.resolve("x").toString(), "--url", a.url(), "--token-file", tokenA.toString()), "404");
            assertOneLineFailure(StudioProcess.run(dir, "finetune", "pull", queued.id(), "--out",
                    dir.resolve("x").toString(), "--url", a.url(), "--token-file", tokenA.toString()), "is cancelled");
            assertOneLineFailure(StudioProcess.run(dir, "finetune", "pull", adapter, "--out", out.toString(),
                    "--url", a.url(), "--token-file", tokenA.toString()), "is not empty");
            StudioProcess.Result forced = StudioProcess.run(dir, "finetune", "pull", adapter, "--out", out.toString(),
                    "--force", "--url", a.url(), "--token-file", tokenA.toString());
            assertEquals(0, forced.code(), forced.err());
            Path noConfig = Files.createDirectories(dir.resolve("no-config"));
            Files.copy(out.resolve("adapter_model.safetensors"), noConfig.resolve("adapter_model.safetensors"));
            assertOneLineFailure(StudioProcess.run(dir, "finetune", "push", noConfig.toString(), "--to", b.url(),
                    "--to-token-file", tokenB.toString()), "has no adapter_config.json");
            assertFalse(b.client().models().data().stream().anyMatch(m -> m.id().equals("no-config")));
        }
    }
}

package org.openledger.studio.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.generate.GenerationRequest;
import org.openledger.studio.gpu.generate.GenerationResult;
import org.openledger.studio.gpu.generate.Generator;
import org.openledger.studio.gpu.generate.Prompts;
import org.openledger.studio.gpu.generate.TokenListener;

class BundledModelTest {

    @Test
    void extractsOnceAndReplacesADamagedCopy(@TempDir Path models) throws Exception {
        BundledModel bundled = new BundledModel();
        Map<String, String> files = bundled.files();
        assertTrue(files.keySet().containsAll(java.util.List.of("config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json", "MODEL_CARD.md")), files.keySet().toString());
        Path dir = bundled.extractTo(models);
        assertEquals(models.resolve(BundledModel.NAME), dir);
        for (Map.Entry<String, String> f : files.entrySet()) {
            assertEquals(f.getValue(), BundledModel.sha256(Files.readAllBytes(dir.resolve(f.getKey()))), f.getKey());
        }
        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(dir.resolve("model.safetensors"), written);
        assertEquals(dir, bundled.extractTo(models));
        assertEquals(written, Files.getLastModifiedTime(dir.resolve("model.safetensors")), "an intact copy is kept");

        Files.write(dir.resolve("config.json"), "{}".getBytes());
        bundled.extractTo(models);
        assertEquals(files.get("config.json"), BundledModel.sha256(Files.readAllBytes(dir.resolve("config.json"))),
                "a damaged copy is replaced");
        try (var left = Files.list(models)) {
            assertEquals(1, left.count(), "no temporary folder is left behind");
        }
    }

    @Test
    void theRuntimeLoadsItAndItWritesEnglishWords(@TempDir Path models) throws Exception {
        Path dir = new BundledModel().extractTo(models);
        try (BaseModel model = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"))) {
            assertTrue(model.chatTemplate().isPresent());
            GenerationResult r = new Generator(model).generate(GenerationRequest.builder(
                    Prompts.completion(model, "Once upon a time")).maxTokens(24).temperature(0).build(),
                    TokenListener.NONE);
            String text = r.text();
            assertFalse(text.isBlank());
            long words = java.util.Arrays.stream(text.trim().split("\\s+"))
                    .filter(w -> w.matches("[A-Za-z,.;'\"-]+")).count();
            assertTrue(words >= 12, "greedy continuation of 'Once upon a time': " + text);
        }
    }

    @Test
    void aChatReplyIsTheAssistantsTurnOnly(@TempDir Path models) throws Exception {
        Path dir = new BundledModel().extractTo(models);
        try (BaseModel model = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"))) {
            java.util.List<String> endOfTurn = Prompts.endOfTurn(model);
            assertEquals(java.util.List.of("\nUser:"), endOfTurn);
            GenerationResult r = new Generator(model).generate(GenerationRequest.builder(Prompts.chat(model,
                    java.util.List.of(org.openledger.studio.gpu.tokenizer.ChatMessage.user("What do bees make?"))))
                    .maxTokens(60).temperature(0).stop(endOfTurn).build(), TokenListener.NONE);
            String reply = r.text().strip();
            assertFalse(reply.isEmpty());
            assertFalse(reply.contains("User:") || reply.contains("Assistant:"), reply);
            assertEquals(org.openledger.studio.gpu.generate.FinishReason.STOP, r.finishReason(), reply);
        }
    }
}

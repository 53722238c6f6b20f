package org.openledger.studio.finetune;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.generate.GenerationRequest;
import org.openledger.studio.gpu.generate.Generator;
import org.openledger.studio.gpu.generate.Prompts;
import org.openledger.studio.gpu.generate.TokenListener;
import org.openledger.studio.gpu.safetensors.DType;
import org.openledger.studio.gpu.tokenizer.ChatMessage;

class PretrainingTest {

    private static final List<String> SENTENCES = List.of(
            "The whale swam under the ship.", "The sailors sang on the deck.", "The captain looked at the sea.",
            "A storm came over the water.", "The ship sailed into the harbour.", "The men pulled the ropes.");

    @Test
    void writesAModelTheRuntimeServes(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus");
        Files.createDirectories(corpus.resolve("sea"));
        SplittableRandom rnd = new SplittableRandom(2);
        for (int d = 0; d < 12; d++) {
            StringBuilder text = new StringBuilder();
            for (int s = 0; s < 60; s++) {
                text.append(SENTENCES.get(rnd.nextInt(SENTENCES.size()))).append(s % 5 == 4 ? "\n\n" : " ");
            }
            Files.writeString(corpus.resolve("sea").resolve("doc" + d + ".txt"), text + " (Applause.)");
        }
        Files.writeString(corpus.resolve("notes.md"), "not a .txt file, not read");
        Path out = dir.resolve("model");
        List<String> log = new ArrayList<>();
        Pretraining.Options o = new Pretraining.Options(300, 1, 32, 2, 32, 40, 8, 1e-2, 7, 4, DType.F16);
        Pretraining.Report r = new Pretraining(log::add).run(corpus, out, o, TrainingListener.NONE, () -> false);

        assertTrue(log.get(0).startsWith("corpus: 9 training and 3 validation documents"), log.get(0));
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("checkpoints")), "checkpoints are removed once the model is written");
        assertTrue(r.result().validationPerplexity() < 12, "a six-sentence language is easy to predict: perplexity "
                + r.result().validationPerplexity());
        try (BaseModel model = BaseModel.load(out, DeviceScan.ofThisMachine().pick("cpu"))) {
            assertEquals(300, model.config().vocabSize());
            assertTrue(model.chatTemplate().isPresent());
            String rendered = model.tokenizer().orElseThrow().decode(Prompts.chat(model,
                    List.of(ChatMessage.user("Where is the ship?"))));
            assertEquals("User: Where is the ship?\nAssistant:", rendered);
            String text = new Generator(model).generate(GenerationRequest.builder(
                    Prompts.completion(model, "The")).maxTokens(12).temperature(0).build(), TokenListener.NONE).text();
            assertTrue(text.contains(" the "), "greedy text uses the corpus' words: " + text);
            assertFalse(text.contains("Applause"), "stage directions were cleaned out: " + text);
        }
    }
}

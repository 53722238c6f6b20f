package org.openledger.studio.gpu.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsALlamaConfigAsTransformersWritesIt() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":64,
                 "intermediate_size":172,"num_hidden_layers":2,"num_attention_heads":8,"num_key_value_heads":2,
                 "rms_norm_eps":1e-6,"rope_theta":500000.0,"vocab_size":300,"max_position_embeddings":128,
                 "tie_word_embeddings":true,"bos_token_id":1,"eos_token_id":[2,3],"rope_scaling":null,
                 "torch_dtype":"bfloat16"}""");
        ModelConfig c = ModelConfig.read(dir);
        assertEquals(64, c.hiddenSize());
        assertEquals(8, c.headDim());
        assertEquals(2, c.numKvHeads());
        assertEquals(500000.0, c.ropeTheta());
        assertTrue(c.tieWordEmbeddings());
        assertFalse(c.qkvBias());
        assertEquals(List.of(2, 3), c.eosTokenIds());
    }

    @Test
    void qwen2HasQkvBiasesAndNoOutputBias() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"model_type":"qwen2","hidden_size":32,"intermediate_size":64,"num_hidden_layers":1,
                 "num_attention_heads":4,"vocab_size":100}""");
        ModelConfig c = ModelConfig.read(dir);
        assertTrue(c.qkvBias());
        assertFalse(c.outputBias());
        assertEquals(4, c.numKvHeads(), "defaults to multi-head attention");
    }

    @Test
    void aSlidingWindowCapsTheContextWhereItApplies() throws Exception {
        String base = "\"hidden_size\":32,\"intermediate_size\":64,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":4,\"vocab_size\":100,\"max_position_embeddings\":32768,"
                + "\"sliding_window\":4096";
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"mistral\"," + base + "}");
        assertEquals(4096, ModelConfig.read(dir).maxPositionEmbeddings());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"qwen2\",\"use_sliding_window\":false,"
                + base + "}");
        assertEquals(32768, ModelConfig.read(dir).maxPositionEmbeddings());
    }

    @Test
    void writtenConfigReadsBackEqual() throws Exception {
        ModelConfig c = ModelConfig.llama(48, 96, 3, 6, 3, 211, 64).withTiedEmbeddings(true)
                .withSpecialTokens(List.of(1), List.of(0));
        c.write(dir);
        assertEquals(c, ModelConfig.read(dir));
    }

    @Test
    void refusesInconsistentOrUnsupportedConfigs() throws Exception {
        String base = "\"hidden_size\":64,\"intermediate_size\":128,\"num_hidden_layers\":2,\"vocab_size\":100";
        assertRefused("{" + base + ",\"num_attention_heads\":6}", "not divisible");
        assertRefused("{" + base + ",\"num_attention_heads\":8,\"num_key_value_heads\":3}", "multiple");
        assertRefused("{" + base + ",\"num_attention_heads\":8,\"model_type\":\"gpt2\"}", "gpt2");
        assertRefused("{" + base + ",\"num_attention_heads\":8,\"rope_scaling\":{\"type\":\"llama3\"}}", "rope_scaling");
        assertRefused("{\"hidden_size\":64,\"num_attention_heads\":8}", "intermediate_size is missing");
        assertRefused("{" + base + ",\"num_attention_heads\":-8}", "positive integer");
        assertRefused("{" + base + ",\"num_attention_heads\":8,\"eos_token_id\":100}", "outside the vocabulary");
        assertRefused("{oops", "not valid JSON");
        Files.delete(dir.resolve("config.json"));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelConfig.read(dir));
        assertTrue(e.getMessage().contains("config.json"));
    }

    private void assertRefused(String json, String messagePart) throws Exception {
        Files.writeString(dir.resolve("config.json"), json);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelConfig.read(dir));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}

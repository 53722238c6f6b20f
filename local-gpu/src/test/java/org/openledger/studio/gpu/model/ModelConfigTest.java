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
        assertRefused("{" + base + ",\"num_attention_heads\":8,\"rope_scaling\":{\"rope_type\":\"yarn\","
                + "\"factor\":4.0}}", "type 'yarn' is not supported");
        assertRefused("{" + base + ",\"num_attention_heads\":8,\"rope_scaling\":{\"type\":\"dynamic\","
                + "\"factor\":2.0}}", "type 'dynamic' is not supported");
        assertRefused("{" + base + ",\"num_attention_heads\":8,\"rope_scaling\":{\"type\":\"linear\","
                + "\"factor\":0.5}}", "at least 1");
        assertRefused("{" + base + ",\"num_attention_heads\":8,\"rope_scaling\":{\"rope_type\":\"llama3\","
                + "\"factor\":8.0,\"low_freq_factor\":4.0,\"high_freq_factor\":1.0,"
                + "\"original_max_position_embeddings\":8192}}", "must be above low_freq_factor");
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

    @Test
    void llama3RopeScalingAsLlama32WritesItScalesLowFrequenciesOnly() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"model_type":"llama","hidden_size":2048,"intermediate_size":8192,"num_hidden_layers":16,
                 "num_attention_heads":32,"num_key_value_heads":8,"head_dim":64,"rope_theta":500000.0,
                 "vocab_size":128256,"max_position_embeddings":131072,
                 "rope_scaling":{"factor":32.0,"high_freq_factor":4.0,"low_freq_factor":1.0,
                                 "original_max_position_embeddings":8192,"rope_type":"llama3"}}""");
        ModelConfig c = ModelConfig.read(dir);
        assertEquals(new RopeScaling("llama3", 32, 1, 4, 8192), c.ropeScaling());
        double[] scaled = c.inverseFrequencies();
        double[] plain = c.withRopeScaling(null).inverseFrequencies();
        int kept = 0;
        int divided = 0;
        int blended = 0;
        for (int i = 0; i < scaled.length; i++) {
            double wavelength = 2 * Math.PI / plain[i];
            if (wavelength < 8192 / 4.0) {
                assertEquals(plain[i], scaled[i], 0.0, "high frequency " + i + " is kept");
                kept++;
            } else if (wavelength > 8192 / 1.0) {
                assertEquals(plain[i] / 32, scaled[i], 1e-18, "low frequency " + i + " is divided by the factor");
                divided++;
            } else {
                assertTrue(scaled[i] < plain[i] && scaled[i] > plain[i] / 32, "medium frequency " + i);
                blended++;
            }
        }
        assertTrue(kept > 0 && divided > 0 && blended > 0, kept + " / " + blended + " / " + divided);
        c.write(dir);
        assertEquals(c, ModelConfig.read(dir), "rope_scaling is written back");
        ModelConfig linear = c.withRopeScaling(new RopeScaling("linear", 4, 0, 0, 0));
        assertEquals(plain[5] / 4, linear.inverseFrequencies()[5], 1e-18);
    }
}

package org.openledger.studio.gpu.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.openledger.studio.gpu.safetensors.DType;
import org.openledger.studio.gpu.safetensors.SafetensorsWriter;
import org.openledger.studio.gpu.safetensors.Tensor;

/** Small random Llama checkpoints in Hugging Face layout, for tests across the module. */
public final class TinyModels {

    private TinyModels() {
    }

    /** 2 layers, hidden 64, 8 query heads over 2 kv heads, vocab 211, untied head. */
    public static ModelConfig gqa() {
        return ModelConfig.llama(64, 96, 2, 8, 2, 211, 128);
    }

    /** Qwen2-style: q/k/v biases, tied embeddings, hidden 48, 4 heads over 2. */
    public static ModelConfig qwen() {
        return new ModelConfig("qwen2", 48, 80, 2, 4, 2, 12, 1e-6, 1_000_000.0, 150, 96, true, true, false,
                java.util.List.of(), java.util.List.of(), null);
    }

    public static Map<String, Tensor> randomWeights(ModelConfig c, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        long d = c.hiddenSize();
        w.put("model.embed_tokens.weight", gaussian(rnd, 1.0, 0, c.vocabSize(), d));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            w.put(p + "input_layernorm.weight", gaussian(rnd, 0.1, 1.0, d));
            for (Projection proj : Projection.values()) {
                long[] shape = proj.weightShape(c);
                w.put(proj.path(l) + ".weight", gaussian(rnd, 1.0 / Math.sqrt(shape[1]), 0, shape));
                if (proj.hasBias(c)) {
                    w.put(proj.path(l) + ".bias", gaussian(rnd, 0.1, 0, shape[0]));
                }
            }
            w.put(p + "post_attention_layernorm.weight", gaussian(rnd, 0.1, 1.0, d));
        }
        w.put("model.norm.weight", gaussian(rnd, 0.1, 1.0, d));
        if (!c.tieWordEmbeddings()) {
            w.put("lm_head.weight", gaussian(rnd, 1.0 / Math.sqrt(d), 0, c.vocabSize(), d));
        }
        return w;
    }

    public static Tensor gaussian(Random rnd, double std, double mean, long... shape) {
        float[] v = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * rnd.nextGaussian());
        }
        return Tensor.of(v, shape);
    }

    static final java.util.List<String> CORPUS = java.util.List.of(
            "The cat sat on the mat. The dog sat on the log. A cat and a dog met on the mat.",
            "Hello world! Hello there, how are you? I am fine, thank you. The weather is fine today.",
            "Once upon a time there was a little model that wrote short stories about cats and dogs.");

    /**
     * A complete chat model folder: random weights (vocab 300, eos = id 1 = {@code <|im_end|>}), a byte-level BPE
     * tokenizer trained on a few sentences, and a ChatML template in tokenizer_config.json.
     */
    public static ModelConfig chatModel(Path dir, long seed) throws IOException {
        ModelConfig c = ModelConfig.llama(64, 96, 2, 8, 2, 300, 128)
                .withSpecialTokens(java.util.List.of(0), java.util.List.of(1));
        write(dir, c, randomWeights(c, seed), DType.F32);
        var trainer = new org.openledger.studio.gpu.tokenizer.BpeTrainer(300,
                java.util.List.of("<|endoftext|>", "<|im_end|>", "<|im_start|>"));
        trainer.write(trainer.train(CORPUS), dir.resolve("tokenizer.json"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var cfg = json.createObjectNode();
        cfg.put("bos_token", "<|endoftext|>");
        cfg.put("eos_token", "<|im_end|>");
        cfg.put("chat_template", "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
                + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
                + "{{ '<|im_start|>assistant\\n' }}{% endif %}");
        json.writeValue(dir.resolve("tokenizer_config.json").toFile(), cfg);
        return c;
    }

    /** Writes config.json and model.safetensors; returns the folder. */
    public static Path write(Path dir, ModelConfig c, Map<String, Tensor> weights, DType dtype) throws IOException {
        c.write(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, dtype, Map.of("format", "pt"));
        return dir;
    }
}

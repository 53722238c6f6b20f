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
                java.util.List.of(), java.util.List.of());
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

    /** Writes config.json and model.safetensors; returns the folder. */
    public static Path write(Path dir, ModelConfig c, Map<String, Tensor> weights, DType dtype) throws IOException {
        c.write(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, dtype, Map.of("format", "pt"));
        return dir;
    }
}

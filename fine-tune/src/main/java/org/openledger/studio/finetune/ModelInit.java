package org.openledger.studio.finetune;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * Fresh weights for pretraining, as GPT-2 initialises them: normal(0, 0.02) for embeddings and projections,
 * the two projections that write into the residual stream (o_proj, down_proj) scaled by 1/sqrt(2 * layers) so
 * the stream's variance does not grow with depth, norm gains at 1, biases at 0. Seeded: same seed, same weights.
 */
public final class ModelInit {

    private static final double STD = 0.02;

    private ModelInit() {
    }

    public static Map<String, Tensor> random(ModelConfig c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double residualStd = STD / Math.sqrt(2.0 * c.numLayers());
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("model.embed_tokens.weight", gaussian(rnd, STD, c.vocabSize(), c.hiddenSize()));
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            out.put(p + "input_layernorm.weight", ones(c.hiddenSize()));
            for (Projection proj : Projection.values()) {
                double std = proj == Projection.O || proj == Projection.DOWN ? residualStd : STD;
                long[] shape = proj.weightShape(c);
                out.put(proj.path(i) + ".weight", gaussian(rnd, std, shape));
                if (proj.hasBias(c)) {
                    out.put(proj.path(i) + ".bias", new Tensor(new long[] {shape[0]}, new float[(int) shape[0]]));
                }
            }
            out.put(p + "post_attention_layernorm.weight", ones(c.hiddenSize()));
        }
        out.put("model.norm.weight", ones(c.hiddenSize()));
        if (!c.tieWordEmbeddings()) {
            out.put("lm_head.weight", gaussian(rnd, STD, c.vocabSize(), c.hiddenSize()));
        }
        return out;
    }

    private static Tensor gaussian(SplittableRandom rnd, double std, long... shape) {
        float[] v = new float[Math.toIntExact(Tensor.elementCount(shape))];
        for (int i = 0; i < v.length; i += 2) {
            // Box-Muller: two normals from two uniforms
            double u1 = 1 - rnd.nextDouble();
            double u2 = rnd.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            v[i] = (float) (std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < v.length) {
                v[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * u2));
            }
        }
        return new Tensor(shape, v);
    }

    private static Tensor ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return new Tensor(new long[] {n}, v);
    }
}

package org.openledger.studio.gpu.model;

import java.util.Map;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * A plain-Java Llama forward pass written only for tests, straight from the Hugging Face modeling code: one
 * sequence, no cache, no DJL, loops over float arrays with double accumulation. The engine must agree with it.
 */
public final class ReferenceLlama {

    private final ModelConfig c;
    private final Map<String, Tensor> w;

    public ReferenceLlama(ModelConfig c, Map<String, Tensor> weights) {
        this.c = c;
        this.w = weights;
    }

    /** Logits for every position, [tokens][vocab]. */
    public float[][] logits(long[] tokens) {
        return logits(tokens, Map.of());
    }

    /** With per-projection weight overrides in HF layout [out, in] (e.g. merged by hand in a test). */
    public float[][] logits(long[] tokens, Map<String, float[]> override) {
        int n = tokens.length;
        int d = c.hiddenSize();
        float[] embed = w.get("model.embed_tokens.weight").values();
        float[][] x = new float[n][d];
        for (int t = 0; t < n; t++) {
            System.arraycopy(embed, (int) tokens[t] * d, x[t], 0, d);
        }
        int hd = c.headDim();
        int nh = c.numHeads();
        int nkv = c.numKvHeads();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            float[][] h = norm(x, w.get(p + "input_layernorm.weight").values());
            float[][] q = linear(h, p + "self_attn.q_proj", override);
            float[][] k = linear(h, p + "self_attn.k_proj", override);
            float[][] v = linear(h, p + "self_attn.v_proj", override);
            for (int t = 0; t < n; t++) {
                rotate(q[t], nh, t);
                rotate(k[t], nkv, t);
            }
            float[][] ctx = new float[n][nh * hd];
            for (int head = 0; head < nh; head++) {
                int g = head / (nh / nkv);
                for (int t = 0; t < n; t++) {
                    double[] score = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        double dot = 0;
                        for (int i = 0; i < hd; i++) {
                            dot += q[t][head * hd + i] * k[s][g * hd + i];
                        }
                        score[s] = dot / Math.sqrt(hd);
                        max = Math.max(max, score[s]);
                    }
                    double sum = 0;
                    for (int s = 0; s <= t; s++) {
                        score[s] = Math.exp(score[s] - max);
                        sum += score[s];
                    }
                    for (int i = 0; i < hd; i++) {
                        double acc = 0;
                        for (int s = 0; s <= t; s++) {
                            acc += score[s] / sum * v[s][g * hd + i];
                        }
                        ctx[t][head * hd + i] = (float) acc;
                    }
                }
            }
            add(x, linear(ctx, p + "self_attn.o_proj", override));
            float[][] h2 = norm(x, w.get(p + "post_attention_layernorm.weight").values());
            float[][] gate = linear(h2, p + "mlp.gate_proj", override);
            float[][] up = linear(h2, p + "mlp.up_proj", override);
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < gate[t].length; i++) {
                    double g = gate[t][i];
                    gate[t][i] = (float) (g / (1 + Math.exp(-g)) * up[t][i]);
                }
            }
            add(x, linear(gate, p + "mlp.down_proj", override));
        }
        float[][] out = norm(x, w.get("model.norm.weight").values());
        String head = c.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
        return matmulTransposed(out, w.get(head).values(), c.vocabSize(), d);
    }

    private float[][] linear(float[][] x, String name, Map<String, float[]> override) {
        Tensor t = w.get(name + ".weight");
        float[] weight = override.getOrDefault(name + ".weight", t.values());
        float[][] y = matmulTransposed(x, weight, (int) t.dim(0), (int) t.dim(1));
        Tensor bias = w.get(name + ".bias");
        if (bias != null) {
            for (float[] row : y) {
                for (int i = 0; i < row.length; i++) {
                    row[i] += bias.values()[i];
                }
            }
        }
        return y;
    }

    /** y = x W^T with W [out, in]. */
    static float[][] matmulTransposed(float[][] x, float[] weight, int out, int in) {
        float[][] y = new float[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double acc = 0;
                for (int i = 0; i < in; i++) {
                    acc += x[t][i] * weight[o * in + i];
                }
                y[t][o] = (float) acc;
            }
        }
        return y;
    }

    private float[][] norm(float[][] x, float[] weight) {
        float[][] y = new float[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            double ss = 0;
            for (float v : x[t]) {
                ss += v * v;
            }
            double scale = 1 / Math.sqrt(ss / x[t].length + c.rmsNormEps());
            for (int i = 0; i < x[t].length; i++) {
                y[t][i] = (float) (x[t][i] * scale * weight[i]);
            }
        }
        return y;
    }

    /**
     * The rotary frequency of pair i, with rope_scaling as transformers' {@code _compute_linear_scaling} /
     * {@code _compute_llama3_parameters} have it (written here from their formulas, not shared with the runtime).
     */
    private double frequency(int i) {
        double f = 1.0 / Math.pow(c.ropeTheta(), 2.0 * i / c.headDim());
        RopeScaling s = c.ropeScaling();
        if (s == null) {
            return f;
        }
        if (s.type().equals("linear")) {
            return f / s.factor();
        }
        double wavelen = 2 * Math.PI / f;
        double lowFreqWavelen = s.originalMaxPositions() / s.lowFreqFactor();
        double highFreqWavelen = s.originalMaxPositions() / s.highFreqFactor();
        double llama = wavelen > lowFreqWavelen ? f / s.factor() : f;
        boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
        if (medium) {
            double smoothFactor = (s.originalMaxPositions() / wavelen - s.lowFreqFactor())
                    / (s.highFreqFactor() - s.lowFreqFactor());
            llama = (1 - smoothFactor) * llama / s.factor() + smoothFactor * llama;
        }
        return llama;
    }

    /** RoPE on each head of one token, pairing element i with i + hd/2 (HF's rotate_half). */
    private void rotate(float[] vec, int heads, int position) {
        int hd = c.headDim();
        int half = hd / 2;
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < half; i++) {
                double angle = position * frequency(i);
                double a = vec[head * hd + i];
                double b = vec[head * hd + i + half];
                vec[head * hd + i] = (float) (a * Math.cos(angle) - b * Math.sin(angle));
                vec[head * hd + i + half] = (float) (b * Math.cos(angle) + a * Math.sin(angle));
            }
        }
    }

    private static void add(float[][] x, float[][] y) {
        for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < x[t].length; i++) {
                x[t][i] += y[t][i];
            }
        }
    }
}

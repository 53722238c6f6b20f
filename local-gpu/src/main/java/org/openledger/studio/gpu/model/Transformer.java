package org.openledger.studio.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The Llama decoder forward pass, read top to bottom: embed, then per block RMSNorm -> attention with RoPE and
 * grouped-query heads -> residual -> RMSNorm -> SwiGLU MLP -> residual, then a final RMSNorm and the LM head.
 * It follows Hugging Face's modeling_llama (rotate_half RoPE, repeat_kv for GQA) so that checkpoints trained
 * there give the same logits here.
 *
 * <p>A step feeds {@code tokens[row]} to every row, right-padded to one width; {@code lengths[row]} says how many
 * are real. Padding slots never serve as keys, so rows of different lengths give exactly what each gives alone.
 */
public final class Transformer {

    /** Masked scores; finite so that a fully masked padding query gives no NaN. exp(-1e9) is exactly 0. */
    private static final float MASKED = -1e9f;

    private final LlamaWeights weights;
    private final ModelConfig c;
    private final float[] inverseFrequency;

    public Transformer(LlamaWeights weights) {
        this.weights = weights;
        this.c = weights.config();
        int half = c.headDim() / 2;
        inverseFrequency = new float[half];
        for (int i = 0; i < half; i++) {
            // as HF computes it: 1 / theta^(2i/d) in float32
            inverseFrequency[i] = (float) (1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / c.headDim()));
        }
    }

    public LlamaWeights weights() {
        return weights;
    }

    public ModelConfig config() {
        return c;
    }

    /**
     * Runs one step and returns logits: [rows, width, vocab] when {@code everyPosition}, else [rows, vocab] for
     * each row's last real token. Temporaries live in {@code scope}; the cache keeps what it needs.
     */
    public NDArray forward(NDManager scope, long[][] tokens, int[] lengths, KvCache cache, WeightDelta delta,
                           boolean everyPosition) {
        int rows = tokens.length;
        int width = tokens[0].length;
        if (cache.rows() != rows) {
            throw new IllegalArgumentException("cache holds " + cache.rows() + " rows, step has " + rows);
        }
        int past = cache.slots();
        int total = past + width;

        long[] flat = new long[rows * width];
        float[] cos = new float[rows * width * c.headDim()];
        float[] sin = new float[cos.length];
        // mask = causal [1, 1, width, total] + which slots hold real tokens [rows, 1, 1, total]; kept apart so that
        // a long prefill costs width*total + rows*total floats instead of rows*width*total
        float[] causal = new float[width * total];
        float[] keys = new float[rows * total];
        for (int t = 0; t < width; t++) {
            for (int j = past + t + 1; j < total; j++) {
                causal[t * total + j] = MASKED;
            }
        }
        int half = c.headDim() / 2;
        for (int r = 0; r < rows; r++) {
            if (tokens[r].length != width || lengths[r] < 0 || lengths[r] > width) {
                throw new IllegalArgumentException("row " + r + " is not padded to width " + width);
            }
            for (int t = 0; t < width; t++) {
                long id = tokens[r][t];
                if (t < lengths[r] && (id < 0 || id >= c.vocabSize())) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of "
                            + c.vocabSize());
                }
                flat[r * width + t] = t < lengths[r] ? id : 0;
                int pos = t < lengths[r] ? cache.position(r) + t : 0;
                int base = (r * width + t) * c.headDim();
                for (int i = 0; i < half; i++) {
                    float angle = pos * inverseFrequency[i];
                    float cs = (float) Math.cos(angle);
                    float sn = (float) Math.sin(angle);
                    cos[base + i] = cs;
                    cos[base + i + half] = cs;
                    sin[base + i] = sn;
                    sin[base + i + half] = sn;
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < total; j++) {
                boolean real = j < past ? cache.isReal(r, j) : j - past < lengths[r];
                keys[r * total + j] = real ? 0f : MASKED;
            }
        }
        NDArray ids = scope.create(flat, new Shape(rows, width));
        NDArray cosA = scope.create(cos, new Shape(rows, 1, width, c.headDim()));
        NDArray sinA = scope.create(sin, new Shape(rows, 1, width, c.headDim()));
        NDList mask = new NDList(scope.create(causal, new Shape(1, 1, width, total)),
                scope.create(keys, new Shape(rows, 1, 1, total)));

        NDArray x = weights.embed().get(new NDIndex("{}", ids));
        x.attach(scope);
        for (int l = 0; l < c.numLayers(); l++) {
            LlamaWeights.Layer layer = weights.layers().get(l);
            NDArray h = rmsNorm(x, layer.inputNorm());
            NDArray attn = attention(scope, l, layer, h, cosA, sinA, mask, cache, delta);
            x = x.add(attn);
            NDArray h2 = rmsNorm(x, layer.postNorm());
            NDArray gate = project(scope, l, layer, Projection.GATE, h2, delta);
            NDArray up = project(scope, l, layer, Projection.UP, h2, delta);
            NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up);
            x = x.add(project(scope, l, layer, Projection.DOWN, act, delta));
        }
        cache.advance(width, lengths);
        NDArray out = rmsNorm(x, weights.finalNorm());
        if (!everyPosition) {
            long[] last = new long[rows];
            for (int r = 0; r < rows; r++) {
                last[r] = (long) r * width + Math.max(lengths[r] - 1, 0);
            }
            out = out.reshape(rows * width, c.hiddenSize()).get(new NDIndex("{}", scope.create(last)));
        }
        return out.matMul(inScope(scope, weights.lmHead().transpose()));
    }

    private NDArray attention(NDManager scope, int l, LlamaWeights.Layer layer, NDArray h, NDArray cos,
                              NDArray sin, NDList mask, KvCache cache, WeightDelta delta) {
        long rows = h.getShape().get(0);
        long width = h.getShape().get(1);
        int hd = c.headDim();
        NDArray q = heads(project(scope, l, layer, Projection.Q, h, delta), c.numHeads());
        NDArray k = heads(project(scope, l, layer, Projection.K, h, delta), c.numKvHeads());
        NDArray v = heads(project(scope, l, layer, Projection.V, h, delta), c.numKvHeads());
        q = rope(q, cos, sin);
        k = rope(k, cos, sin);
        // the cache writes the new keys and values into its buffers and returns views of all slots so far, made in
        // the step's scope (views left in the cache's manager would pile up and keep old buffers alive)
        NDArray[] kv = cache.append(scope, l, k, v);
        k = kv[0];
        v = kv[1];
        long slots = k.getShape().get(2);
        int rep = c.numHeads() / c.numKvHeads();
        NDArray kk = k;
        NDArray vv = v;
        if (rep > 1) {
            // repeat_kv: kv head g serves query heads g*rep .. g*rep+rep-1
            kk = inScope(scope, k.expandDims(2)).repeat(2, rep).reshape(rows, c.numHeads(), slots, hd);
            vv = inScope(scope, v.expandDims(2)).repeat(2, rep).reshape(rows, c.numHeads(), slots, hd);
        }
        NDArray kT = inScope(scope, kk.transpose(0, 1, 3, 2));
        NDArray scores = q.matMul(kT).div((float) Math.sqrt(hd)).add(mask.get(0)).add(mask.get(1));
        NDArray context = scores.softmax(-1).matMul(vv);
        NDArray merged = context.transpose(0, 2, 1, 3).reshape(rows, width, (long) c.numHeads() * hd);
        return project(scope, l, layer, Projection.O, merged, delta);
    }

    private static NDArray inScope(NDManager scope, NDArray a) {
        if (a.getManager() != scope) {
            a.attach(scope);
        }
        return a;
    }

    /** [rows, width, heads*hd] -> [rows, heads, width, hd] */
    private NDArray heads(NDArray x, int heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, c.headDim()).transpose(0, 2, 1, 3);
    }

    /** HF RoPE: x*cos + rotate_half(x)*sin, rotate_half(x) = [-x2, x1]. */
    private NDArray rope(NDArray x, NDArray cos, NDArray sin) {
        int half = c.headDim() / 2;
        NDArray x1 = x.get(new NDIndex("..., :" + half));
        NDArray x2 = x.get(new NDIndex("..., " + half + ":"));
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.mul(variance.add((float) c.rmsNormEps()).pow(-0.5f)).mul(weight);
    }

    /** x · Wᵀ (+ b) (+ delta), as nn.Linear computes it; the transposed view is made in the step's scope. */
    private static NDArray project(NDManager scope, int l, LlamaWeights.Layer layer, Projection p, NDArray x,
                                   WeightDelta delta) {
        NDArray y = x.matMul(inScope(scope, layer.weight().get(p).transpose()));
        NDArray b = layer.bias().get(p);
        if (b != null) {
            y = y.add(b);
        }
        NDArray extra = delta.apply(l, p, x);
        return extra == null ? y : y.add(extra);
    }
}

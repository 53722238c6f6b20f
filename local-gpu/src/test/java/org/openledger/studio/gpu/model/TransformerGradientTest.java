package org.openledger.studio.gpu.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * The forward pass is differentiable with respect to a trainable {@link WeightDelta}, which is what LoRA
 * training and gradient-based attribution build on: the gradient matches a finite difference.
 */
class TransformerGradientTest {

    @Test
    void loraFactorGradientsMatchFiniteDifferences() throws Exception {
        ModelConfig c = TinyModels.gqa();
        Map<String, Tensor> w = TinyModels.randomWeights(c, 31);
        long[] tokens = {3, 14, 15, 92, 65, 35};
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer t = new Transformer(LlamaWeights.load(c, LlamaWeights.sourceOf(w), m.newSubManager()));
            NDArray a = m.randomNormal(0, 0.2f, new Shape(64, 4), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray b = m.randomNormal(0, 0.2f, new Shape(4, 16), ai.djl.ndarray.types.DataType.FLOAT32);
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            float[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = loss(t, m, tokens, a, b);
                gc.backward(loss);
                grad = b.getGradient().toFloatArray();
            }
            float[] bv = b.toFloatArray();
            for (int k : new int[] {0, 17, 63}) {
                float eps = 1e-2f;
                float[] plus = bv.clone();
                float[] minus = bv.clone();
                plus[k] += eps;
                minus[k] -= eps;
                double fp = loss(t, m, tokens, a, m.create(plus, b.getShape())).getFloat();
                double fm = loss(t, m, tokens, a, m.create(minus, b.getShape())).getFloat();
                double numeric = (fp - fm) / (2 * eps);
                assertEquals(numeric, grad[k], 0.01 * Math.abs(numeric) + 1e-4, "dL/dB[" + k + "]");
            }
        }
    }

    /** Next-token cross-entropy with a rank-4 update on layer 0's k_proj. */
    private static NDArray loss(Transformer t, NDManager m, long[] tokens, NDArray a, NDArray b) {
        WeightDelta delta = (layer, p, x) -> layer == 0 && p == Projection.K ? x.matMul(a).matMul(b) : null;
        try (KvCache cache = new KvCache(m, t.config().numLayers(), 1)) {
            NDArray logits = t.forward(m, new long[][] {tokens}, new int[] {tokens.length}, cache, delta, true);
            NDArray logp = logits.logSoftmax(-1).reshape(tokens.length, t.config().vocabSize());
            long[] next = java.util.Arrays.copyOfRange(tokens, 1, tokens.length);
            NDArray picked = logp.get(new NDIndex(":-1")).gather(m.create(next).reshape(next.length, 1), 1);
            return picked.mean().neg();
        }
    }
}

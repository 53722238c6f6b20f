package org.openledger.studio.gpu.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.safetensors.Tensor;

/** The inference forward pass is also the training forward pass: base weights learn through it. */
class TrainingTest {

    @Test
    void parametersRoundTripAndLearnASequence() throws Exception {
        ModelConfig c = TinyModels.qwen();
        Map<String, Tensor> w = TinyModels.randomWeights(c, 41);
        long[] tokens = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        try (NDManager m = NDManager.newBaseManager()) {
            LlamaWeights weights = LlamaWeights.load(c, LlamaWeights.sourceOf(w), m.newSubManager());
            Map<String, Tensor> saved = weights.toTensors();
            assertEquals(w.keySet(), saved.keySet(), "tied head is saved once, as the embedding");
            for (String n : w.keySet()) {
                assertArrayEquals(w.get(n).values(), saved.get(n).values(), n);
                assertArrayEquals(w.get(n).shape(), saved.get(n).shape(), n);
            }
            weights.parameters().values().forEach(p -> p.setRequiresGradient(true));
            Transformer t = new Transformer(weights);
            float first = Float.NaN;
            float last = Float.NaN;
            for (int step = 0; step < 8; step++) {
                try (NDManager scope = m.newSubManager();
                     GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = loss(t, scope, tokens);
                    gc.backward(loss);
                    last = loss.getFloat();
                    if (step == 0) {
                        first = last;
                    }
                }
                // SGD with the gradient clipped to norm 1, as trainers do: random weights give large gradients
                double norm = 0;
                for (NDArray p : weights.parameters().values()) {
                    norm += p.getGradient().square().sum().getFloat();
                }
                float scale = (float) (0.1 / Math.max(1.0, Math.sqrt(norm)));
                for (NDArray p : weights.parameters().values()) {
                    NDArray g = p.getGradient();
                    p.subi(g.mul(scale));
                    g.subi(g);
                }
                assertTrue(Float.isFinite(last), "loss at step " + step + " is " + last);
            }
            assertTrue(last < first * 0.8, "loss fell from " + first + " to " + last);
        }
    }

    private static NDArray loss(Transformer t, NDManager scope, long[] tokens) {
        try (KvCache cache = new KvCache(scope, t.config().numLayers(), 1)) {
            NDArray logits = t.forward(scope, new long[][] {tokens}, new int[] {tokens.length}, cache,
                    WeightDelta.NONE, true);
            NDArray logp = logits.logSoftmax(-1).reshape(tokens.length, t.config().vocabSize());
            long[] next = java.util.Arrays.copyOfRange(tokens, 1, tokens.length);
            return logp.get(new NDIndex(":-1")).gather(scope.create(next).reshape(next.length, 1), 1).mean().neg();
        }
    }
}

package org.openledger.studio.attribution.influence;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.openledger.studio.finetune.ModelInit;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.model.EngineArrays;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.model.WeightDelta;

class ExampleGradientsTest {

    /**
     * The batched probe pass equals, example by example, the gradient autograd gives for A and B themselves when
     * the example is alone (a plain batch-1 backward with the factors as parameters): different lengths, a loss
     * mask, and rows that pad.
     */
    @Test
    void batchedPerExampleGradientsEqualEachExampleAloneThroughTheFactors() throws Exception {
        Adapter adapter = TinyModels.randomAdapter(TinyModels.TINY, 4, Set.of(Projection.Q, Projection.V,
                Projection.DOWN), 7);
        SplittableRandom rnd = new SplittableRandom(1);
        List<Example> batch = List.of(
                Example.text(TinyModels.tokens(rnd, 12, 48)),
                Example.completion(TinyModels.tokens(rnd, 5, 48), TinyModels.tokens(rnd, 4, 48)),
                Example.text(TinyModels.tokens(rnd, 3, 48)),
                Example.text(TinyModels.tokens(rnd, 20, 48)));
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TinyModels.TINY,
                     LlamaWeights.sourceOf(ModelInit.random(TinyModels.TINY, 5)), m.newSubManager());
             ExampleGradients g = new ExampleGradients(new Transformer(w), adapter, m)) {
            float[][] batched = g.compute(batch);
            // per layer: q A 4x32 + B 32x4, v A 4x32 + B 16x4, down A 4x64 + B 32x4
            assertEquals(2 * (256 + 192 + 384), g.parameters(), "parameter count");
            for (int r = 0; r < batch.size(); r++) {
                float[] alone = reference(new Transformer(w), adapter, g.sites(), batch.get(r), m);
                assertEquals(alone.length, batched[r].length);
                double norm = 0;
                for (float v : alone) {
                    norm = Math.max(norm, Math.abs(v));
                }
                assertTrue(norm > 1e-4, "a non-trivial gradient");
                for (int i = 0; i < alone.length; i++) {
                    assertEquals(alone[i], batched[r][i], 2e-5 + 1e-4 * norm, "example " + r + " parameter " + i);
                }
            }
        }
    }

    /** dL/dA and dL/dB of one example with the factors as autograd parameters, flattened as ExampleGradients does. */
    private static float[] reference(Transformer t, Adapter adapter, List<Adapter.Site> sites, Example e,
                                     NDManager parent) {
        try (NDManager scope = parent.newSubManager()) {
            Map<Adapter.Site, NDArray[]> f = new HashMap<>();
            for (Adapter.Site s : sites) {
                Adapter.Factors x = adapter.factors().get(s);
                NDArray a = EngineArrays.owned(scope, x.a().values(), new Shape(x.a().shape()));
                NDArray b = EngineArrays.owned(scope, x.b().values(), new Shape(x.b().shape()));
                a.setRequiresGradient(true);
                b.setRequiresGradient(true);
                f.put(s, new NDArray[] {a, b});
            }
            NDArray scale = EngineArrays.owned(scope, new float[] {(float) adapter.config().scale()}, new Shape());
            WeightDelta delta = (layer, p, x) -> {
                NDArray[] ab = f.get(new Adapter.Site(layer, p));
                return ab == null ? null : x.matMul(ab[0].transpose()).matMul(ab[1].transpose()).mul(scale);
            };
            int n = e.length() - 1;
            long[][] in = {java.util.Arrays.copyOf(e.tokens(), n)};
            try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                 KvCache cache = new KvCache(scope, t.config().numLayers(), 1, n)) {
                NDArray logp = t.forward(scope, in, new int[] {n}, cache, delta, true).logSoftmax(-1)
                        .reshape(n, t.config().vocabSize());
                NDArray loss = null;
                int count = e.targetCount();
                for (int i = 0; i < n; i++) {
                    if (e.targets()[i + 1]) {
                        NDArray term = logp.get(i, e.tokens()[i + 1]);
                        loss = loss == null ? term : loss.add(term);
                    }
                }
                gc.backward(loss.neg().div(EngineArrays.owned(scope, new float[] {count}, new Shape())));
            }
            List<Float> out = new ArrayList<>();
            for (Adapter.Site s : sites) {
                for (NDArray p : f.get(s)) {
                    for (float v : p.getGradient().toFloatArray()) {
                        out.add(v);
                    }
                }
            }
            float[] o = new float[out.size()];
            for (int i = 0; i < o.length; i++) {
                o[i] = out.get(i);
            }
            return o;
        }
    }
}

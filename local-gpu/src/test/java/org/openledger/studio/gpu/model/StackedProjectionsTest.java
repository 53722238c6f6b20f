package org.openledger.studio.gpu.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.safetensors.Tensor;

/** q/k/v and gate/up stored as one matrix each: the same numbers as one projection at a time, no second copy. */
class StackedProjectionsTest {

    static NDManager root;

    @BeforeAll
    static void start() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        root.close();
    }

    @Test
    void stackedProjectionsWithDeltasGiveWhatEachProjectionGivesAlone() throws Exception {
        for (ModelConfig c : List.of(TinyModels.gqa(), TinyModels.qwen())) {
            try (NDManager m = root.newSubManager()) {
                LlamaWeights w = LlamaWeights.load(c, LlamaWeights.sourceOf(TinyModels.randomWeights(c, 21)), m);
                Transformer model = new Transformer(w);
                WeightDelta delta = lowRank(m, c, new Random(4));
                long[][] tokens = {{3, 9, 27, 81, 1, 5}, {7, 2, 0, 0, 0, 0}};
                int[] lengths = {6, 2};
                float[] stacked = logits(m, model, tokens, lengths, delta);
                // while the base weights take gradients (full training) every projection runs on its own view
                w.parameters().values().forEach(p -> p.setRequiresGradient(true));
                float[] oneByOne;
                float[] plainOneByOne;
                try {
                    oneByOne = logits(m, model, tokens, lengths, delta);
                    plainOneByOne = logits(m, model, tokens, lengths, WeightDelta.NONE);
                } finally {
                    w.parameters().values().forEach(p -> p.setRequiresGradient(false));
                }
                float[] plain = logits(m, model, tokens, lengths, WeightDelta.NONE);
                assertEquals(stacked.length, oneByOne.length);
                double diff = 0;
                double changed = 0;
                for (int i = 0; i < stacked.length; i++) {
                    diff = Math.max(diff, Math.abs(stacked[i] - oneByOne[i]));
                    changed = Math.max(changed, Math.abs(stacked[i] - plain[i]));
                }
                assertTrue(diff <= 1e-5, c.modelType() + ": stacked and one by one differ by " + diff);
                double plainDiff = 0;
                for (int i = 0; i < plain.length; i++) {
                    plainDiff = Math.max(plainDiff, Math.abs(plain[i] - plainOneByOne[i]));
                }
                assertTrue(plainDiff <= 1e-5, c.modelType() + ": without deltas they differ by " + plainDiff);
                assertTrue(changed > 1e-2, "the deltas on q, k, v, gate and up change the output");
            }
        }
    }

    @Test
    void projectionsAreViewsOfTheStacksAndSaveUnchanged() throws Exception {
        ModelConfig c = TinyModels.qwen();
        Map<String, Tensor> source = TinyModels.randomWeights(c, 5);
        try (NDManager m = root.newSubManager()) {
            LlamaWeights w = LlamaWeights.load(c, LlamaWeights.sourceOf(source), m);
            Map<String, Tensor> saved = w.toTensors();
            assertEquals(List.copyOf(source.keySet()).stream().sorted().toList(),
                    List.copyOf(saved.keySet()).stream().sorted().toList(), "the same names as the checkpoint");
            source.forEach((name, t) -> assertArrayEquals(t.values(), saved.get(name).values(), 0f, name));
            LlamaWeights.Layer layer = w.layers().get(1);
            long q = Projection.Q.weightShape(c)[0];
            long kv = Projection.K.weightShape(c)[0];
            assertEquals(new Shape(q + 2 * kv, c.hiddenSize()), layer.qkv().getShape());
            assertEquals(new Shape(2L * c.intermediateSize(), c.hiddenSize()), layer.gateUp().getShape());
            // an in-place write to a projection (as an optimiser makes) is a write to its rows of the stack
            layer.weight().get(Projection.K).set(new NDIndex("..."), 0.5f);
            layer.bias().get(Projection.V).set(new NDIndex("..."), -2f);
            layer.weight().get(Projection.UP).set(new NDIndex("..."), 3f);
            assertAll(layer.qkv().get(new NDIndex("{}:{}", q, q + kv)).toFloatArray(), 0.5f);
            assertAll(layer.qkvBias().get(new NDIndex("{}:", q + kv)).toFloatArray(), -2f);
            assertAll(layer.gateUp().get(new NDIndex("{}:", c.intermediateSize())).toFloatArray(), 3f);
            assertArrayEquals(source.get(Projection.Q.path(1) + ".weight").values(),
                    layer.qkv().get(new NDIndex(":{}", q)).toFloatArray(), 0f, "the rows around are untouched");
        }
    }

    @Test
    void replacingAProjectionRestacksItsLayerOnlyAndFreesTheReplacement() throws Exception {
        ModelConfig c = TinyModels.gqa();
        Map<String, Tensor> source = TinyModels.randomWeights(c, 8);
        try (NDManager m = root.newSubManager()) {
            LlamaWeights base = LlamaWeights.load(c, LlamaWeights.sourceOf(source), m);
            NDManager merged = m.newSubManager();
            long[] kShape = Projection.K.weightShape(c);
            NDArray newK = merged.randomNormal(new Shape(kShape));
            float[] newKValues = newK.toFloatArray();
            List<Map<Projection, NDArray>> replaced = new ArrayList<>();
            replaced.add(new EnumMap<>(Map.of(Projection.K, newK)));
            replaced.add(new EnumMap<>(Projection.class));
            try (LlamaWeights copy = base.withProjections(replaced, merged)) {
                LlamaWeights.Layer l0 = copy.layers().get(0);
                assertTrue(newK.isReleased(), "the replacing array is not kept beside the new stack");
                assertArrayEquals(newKValues, l0.weight().get(Projection.K).toFloatArray(), 0f);
                long q = Projection.Q.weightShape(c)[0];
                assertArrayEquals(newKValues, l0.qkv().get(new NDIndex("{}:{}", q, q + kShape[0])).toFloatArray(), 0f);
                assertArrayEquals(source.get(Projection.V.path(0) + ".weight").values(),
                        l0.weight().get(Projection.V).toFloatArray(), 0f);
                assertSame(base.layers().get(0).gateUp(), l0.gateUp(), "gate/up were not replaced: shared");
                assertSame(base.layers().get(1).qkv(), copy.layers().get(1).qkv(), "layer 1 is shared");
                assertArrayEquals(source.get(Projection.K.path(0) + ".weight").values(),
                        base.layers().get(0).weight().get(Projection.K).toFloatArray(), 0f, "the base is unchanged");
            }
        }
    }

    private static void assertAll(float[] values, float want) {
        for (float v : values) {
            assertEquals(want, v, 0f);
        }
    }

    private static float[] logits(NDManager m, Transformer model, long[][] tokens, int[] lengths, WeightDelta delta) {
        try (NDManager scope = m.newSubManager();
             KvCache cache = new KvCache(scope, model.config().numLayers(), tokens.length)) {
            return model.forward(scope, tokens, lengths, cache, delta, true).toFloatArray();
        }
    }

    /** x·Aᵀ·Bᵀ on q, k, v, gate and up (each its own pair), nothing on o and down. */
    private static WeightDelta lowRank(NDManager m, ModelConfig c, Random rnd) {
        Map<String, NDArray[]> pairs = new java.util.HashMap<>();
        for (int l = 0; l < c.numLayers(); l++) {
            for (Projection p : List.of(Projection.Q, Projection.K, Projection.V, Projection.GATE, Projection.UP)) {
                long[] shape = p.weightShape(c);
                NDArray a = EngineArrays.owned(m, TinyModels.gaussian(rnd, 0.3, 0, shape[1], 3).values(),
                        new Shape(shape[1], 3));
                NDArray b = EngineArrays.owned(m, TinyModels.gaussian(rnd, 0.3, 0, 3, shape[0]).values(),
                        new Shape(3, shape[0]));
                pairs.put(l + "." + p, new NDArray[] {a, b});
            }
        }
        return (layer, projection, x) -> {
            NDArray[] ab = pairs.get(layer + "." + projection);
            return ab == null ? null : x.matMul(ab[0]).matMul(ab[1]);
        };
    }
}

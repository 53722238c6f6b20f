package org.openledger.studio.gpu.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.safetensors.Checkpoint;
import org.openledger.studio.gpu.safetensors.DType;
import org.openledger.studio.gpu.safetensors.Tensor;

class TransformerTest {

    static NDManager root;

    @BeforeAll
    static void start() {
        root = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        root.close();
    }

    @TempDir
    Path dir;

    @Test
    void gqaLogitsMatchThePlainJavaReference() throws Exception {
        assertMatchesReference(TinyModels.gqa(), DType.F32);
    }

    @Test
    void qwen2WithBiasesTiedEmbeddingsAndBf16CheckpointMatchesTheReference() throws Exception {
        assertMatchesReference(TinyModels.qwen(), DType.BF16);
    }

    @Test
    void llama3AndLinearRopeScalingMatchTheReference() throws Exception {
        // head dim 8, theta 1e4: wavelengths 6.3, 63, 628, 6283 against 1024/4 and 1024/1: kept, kept, blended, divided
        assertMatchesReference(TinyModels.gqa().withRopeScaling(new RopeScaling("llama3", 8, 1, 4, 1024)), DType.F32);
        assertMatchesReference(TinyModels.gqa().withRopeScaling(new RopeScaling("linear", 4, 0, 0, 0)), DType.F32);
    }

    private void assertMatchesReference(ModelConfig c, DType dtype) throws Exception {
        TinyModels.write(dir, c, TinyModels.randomWeights(c, 7), dtype);
        Map<String, Tensor> widened = new java.util.LinkedHashMap<>();
        try (Checkpoint ck = Checkpoint.open(dir); NDManager m = root.newSubManager()) {
            for (String n : ck.names()) {
                widened.put(n, ck.read(n));
            }
            ModelConfig read = ModelConfig.read(dir);
            Transformer model = new Transformer(LlamaWeights.load(read, LlamaWeights.sourceOf(ck), m));
            long[] tokens = randomTokens(new Random(3), 12, c.vocabSize());
            float[][] want = new ReferenceLlama(read, widened).logits(tokens);
            try (KvCache cache = new KvCache(m, c.numLayers(), 1)) {
                NDArray got = model.forward(m, new long[][] {tokens}, new int[] {tokens.length}, cache,
                        WeightDelta.NONE, true);
                assertEquals(new ai.djl.ndarray.types.Shape(1, 12, c.vocabSize()), got.getShape());
                assertClose(want, got.toFloatArray(), 1e-4f);
            }
        }
    }

    @Test
    void kvCacheDecodingEqualsFullRecomputation() throws Exception {
        ModelConfig c = TinyModels.gqa();
        Map<String, Tensor> w = TinyModels.randomWeights(c, 11);
        long[] tokens = randomTokens(new Random(5), 11, c.vocabSize());
        ReferenceLlama ref = new ReferenceLlama(c, w);
        try (NDManager m = root.newSubManager()) {
            Transformer model = new Transformer(LlamaWeights.load(c, LlamaWeights.sourceOf(w), m));
            try (KvCache cache = new KvCache(m, c.numLayers(), 1)) {
                long[] prompt = java.util.Arrays.copyOf(tokens, 5);
                model.forward(m, new long[][] {prompt}, new int[] {5}, cache, WeightDelta.NONE, false);
                for (int t = 5; t < tokens.length; t++) {
                    try (NDManager step = m.newSubManager()) {
                        float[] cached = model.forward(step, new long[][] {{tokens[t]}}, new int[] {1}, cache,
                                WeightDelta.NONE, false).toFloatArray();
                        long[] prefix = java.util.Arrays.copyOf(tokens, t + 1);
                        float[] full;
                        try (KvCache fresh = new KvCache(step, c.numLayers(), 1)) {
                            full = model.forward(step, new long[][] {prefix}, new int[] {t + 1}, fresh,
                                    WeightDelta.NONE, false).toFloatArray();
                        }
                        assertClose(new float[][] {full}, cached, 2e-5f);
                        float[][] reference = ref.logits(prefix);
                        assertClose(new float[][] {reference[t]}, cached, 1e-4f);
                    }
                }
                assertEquals(11, cache.position(0));
            }
        }
    }

    @Test
    void aBatchOfDifferentLengthsEqualsEachRowAlone() throws Exception {
        ModelConfig c = TinyModels.qwen();
        Map<String, Tensor> w = TinyModels.randomWeights(c, 13);
        Random rnd = new Random(9);
        int[] lengths = {7, 2, 5};
        long[][] rows = new long[3][];
        for (int r = 0; r < 3; r++) {
            rows[r] = randomTokens(rnd, lengths[r] + 3, c.vocabSize());
        }
        try (NDManager m = root.newSubManager()) {
            Transformer model = new Transformer(LlamaWeights.load(c, LlamaWeights.sourceOf(w), m));
            float[][][] batched = new float[3][4][];
            try (KvCache cache = new KvCache(m, c.numLayers(), 3)) {
                long[][] padded = new long[3][7];
                for (int r = 0; r < 3; r++) {
                    System.arraycopy(rows[r], 0, padded[r], 0, lengths[r]);
                }
                float[] first = model.forward(m, padded, lengths, cache, WeightDelta.NONE, false).toFloatArray();
                for (int r = 0; r < 3; r++) {
                    batched[r][0] = java.util.Arrays.copyOfRange(first, r * c.vocabSize(), (r + 1) * c.vocabSize());
                }
                for (int s = 0; s < 3; s++) {
                    long[][] next = new long[3][1];
                    for (int r = 0; r < 3; r++) {
                        next[r][0] = rows[r][lengths[r] + s];
                    }
                    float[] out = model.forward(m, next, new int[] {1, 1, 1}, cache, WeightDelta.NONE, false)
                            .toFloatArray();
                    for (int r = 0; r < 3; r++) {
                        batched[r][s + 1] = java.util.Arrays.copyOfRange(out, r * c.vocabSize(),
                                (r + 1) * c.vocabSize());
                    }
                }
            }
            for (int r = 0; r < 3; r++) {
                try (KvCache alone = new KvCache(m, c.numLayers(), 1)) {
                    long[] prompt = java.util.Arrays.copyOf(rows[r], lengths[r]);
                    float[] got = model.forward(m, new long[][] {prompt}, new int[] {lengths[r]}, alone,
                            WeightDelta.NONE, false).toFloatArray();
                    assertClose(new float[][] {batched[r][0]}, got, 1e-5f);
                    for (int s = 0; s < 3; s++) {
                        got = model.forward(m, new long[][] {{rows[r][lengths[r] + s]}}, new int[] {1}, alone,
                                WeightDelta.NONE, false).toFloatArray();
                        assertClose(new float[][] {batched[r][s + 1]}, got, 1e-5f);
                    }
                }
            }
        }
    }

    @Test
    void wrongWeightShapeOrMissingTensorIsRefusedByName() throws Exception {
        ModelConfig c = TinyModels.gqa();
        Map<String, Tensor> w = TinyModels.randomWeights(c, 1);
        w.put("model.layers.1.self_attn.k_proj.weight", Tensor.of(new float[64 * 64], 64, 64));
        try (NDManager m = root.newSubManager()) {
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> LlamaWeights.load(c, LlamaWeights.sourceOf(w), m));
            assertTrue(e.getMessage().contains("model.layers.1.self_attn.k_proj.weight")
                    && e.getMessage().contains("[16, 64]"), e.getMessage());
            w.remove("model.norm.weight");
            w.put("model.layers.1.self_attn.k_proj.weight", Tensor.of(new float[16 * 64], 16, 64));
            e = assertThrows(InvalidModelException.class, () -> LlamaWeights.load(c, LlamaWeights.sourceOf(w), m));
            assertTrue(e.getMessage().contains("model.norm.weight"), e.getMessage());
        }
    }

    static long[] randomTokens(Random rnd, int n, int vocab) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = rnd.nextInt(vocab);
        }
        return t;
    }

    static void assertClose(float[][] want, float[] got, float tol) {
        int k = 0;
        float worst = 0;
        for (float[] row : want) {
            for (float v : row) {
                worst = Math.max(worst, Math.abs(v - got[k++]));
            }
        }
        assertEquals(k, got.length, "element count");
        assertTrue(worst <= tol, "largest difference " + worst + " > " + tol);
    }
}

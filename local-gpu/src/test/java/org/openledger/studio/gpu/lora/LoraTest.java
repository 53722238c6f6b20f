package org.openledger.studio.gpu.lora;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.model.InvalidModelException;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.ReferenceLlama;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.model.WeightDelta;
import org.openledger.studio.gpu.safetensors.Tensor;

class LoraTest {

    static final ModelConfig C = TinyModels.gqa();
    static final Map<String, Tensor> W = TinyModels.randomWeights(C, 21);
    static NDManager root;
    static LlamaWeights base;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        root = NDManager.newBaseManager();
        base = LlamaWeights.load(C, LlamaWeights.sourceOf(W), root.newSubManager());
    }

    @AfterAll
    static void stop() {
        root.close();
    }

    static final Set<Projection> ALL = EnumSet.allOf(Projection.class);

    @Test
    void savesAndLoadsPeftFormat() throws Exception {
        Adapter a = TinyAdapters.random("x", C, 4, 8, EnumSet.of(Projection.Q, Projection.V, Projection.DOWN), true, 1, false);
        Path folder = dir.resolve("my-adapter");
        a.save(folder);
        Adapter back = Adapter.load(folder);
        assertEquals("my-adapter", back.id());
        assertEquals(a.config(), back.config());
        assertEquals(8 / Math.sqrt(4), back.config().scale(), 1e-12);
        Adapter.Site site = new Adapter.Site(1, Projection.DOWN);
        assertArrayEquals(a.factors().get(site).b().values(), back.factors().get(site).b().values());
        try (var f = org.openledger.studio.gpu.safetensors.SafetensorsFile.open(folder.resolve(Adapter.WEIGHTS_FILE))) {
            assertTrue(f.contains("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight"));
            assertArrayEquals(new long[] {64, 4}, f.entry("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").shape());
        }
        String json = Files.readString(folder.resolve("adapter_config.json"));
        assertTrue(json.contains("\"use_rslora\" : true") && json.contains("\"q_proj\""), json);
    }

    @Test
    void mergedEqualsUnmergedAndThePlainJavaReference() throws Exception {
        Adapter a = TinyAdapters.random("a", C, 4, 16, ALL, false, 2, false);
        long[] tokens = {5, 17, 200, 3, 99, 42, 7};
        try (NDManager m = root.newSubManager(); AdapterWeights up = AdapterWeights.upload(a, null, base);
             LlamaWeights merged = up.mergeInto(base)) {
            float[] unmerged;
            try (AdapterBatch batch = new AdapterBatch(m, C, List.of(up))) {
                unmerged = run(new Transformer(base), m, tokens, batch);
            }
            float[] viaMerge = run(new Transformer(merged), m, tokens, WeightDelta.NONE);
            assertClose(unmerged, viaMerge, 1e-5f);
            float[] plain = run(new Transformer(base), m, tokens, WeightDelta.NONE);
            assertTrue(maxDiff(plain, unmerged) > 1e-2, "the adapter changes the output");
            float[][] reference = new ReferenceLlama(C, W).logits(tokens, mergedByHand(a));
            assertClose(flatten(reference), unmerged, 1e-4f);
        }
    }

    @Test
    void anAdapterWithBZeroEqualsTheBaseExactly() throws Exception {
        Adapter a = TinyAdapters.random("z", C, 8, 16, ALL, false, 3, true);
        long[] tokens = {1, 2, 3, 150, 4};
        try (NDManager m = root.newSubManager(); AdapterWeights up = AdapterWeights.upload(a, null, base);
             AdapterBatch batch = new AdapterBatch(m, C, List.of(up))) {
            assertArrayEquals(run(new Transformer(base), m, tokens, WeightDelta.NONE),
                    run(new Transformer(base), m, tokens, batch));
        }
    }

    @Test
    void eachRowOfABatchGetsItsOwnAdapterGatheredOrSegmented() throws Exception {
        Adapter a1 = TinyAdapters.random("a1", C, 4, 8, ALL, false, 4, false);
        Adapter a2 = TinyAdapters.random("a2", C, 2, 4, EnumSet.of(Projection.Q, Projection.UP), true, 5, false);
        long[][] rows = {{9, 8, 7, 6, 5}, {1, 2, 3}, {100, 101, 102, 103}, {50, 60}};
        int[] lengths = {5, 3, 4, 2};
        try (NDManager m = root.newSubManager(); AdapterWeights w1 = AdapterWeights.upload(a1, null, base);
             AdapterWeights w2 = AdapterWeights.upload(a2, null, base)) {
            List<AdapterWeights> perRow = Arrays.asList(w1, null, w2, w1);
            Transformer t = new Transformer(base);
            long[][] padded = new long[4][5];
            for (int r = 0; r < 4; r++) {
                System.arraycopy(rows[r], 0, padded[r], 0, lengths[r]);
            }
            int v = C.vocabSize();
            for (AdapterBatch.Strategy strategy : List.of(AdapterBatch.Strategy.GATHERED,
                    AdapterBatch.Strategy.SEGMENTED)) {
                float[] batched;
                float[] decoded;
                try (AdapterBatch batch = new AdapterBatch(m, C, perRow, strategy);
                     KvCache cache = new KvCache(m, C.numLayers(), 4)) {
                    batched = t.forward(m, padded, lengths, cache, batch, false).toFloatArray();
                    decoded = t.forward(m, new long[][] {{11}, {12}, {13}, {14}}, new int[] {1, 1, 1, 1}, cache,
                            batch, false).toFloatArray();
                }
                for (int r = 0; r < 4; r++) {
                    try (AdapterBatch alone = new AdapterBatch(m, C, Arrays.asList(perRow.get(r)));
                         KvCache cache = new KvCache(m, C.numLayers(), 1)) {
                        long[] prompt = Arrays.copyOf(rows[r], lengths[r]);
                        float[] one = t.forward(m, new long[][] {prompt}, new int[] {lengths[r]}, cache, alone, false)
                                .toFloatArray();
                        assertClose(Arrays.copyOfRange(batched, r * v, (r + 1) * v), one, 1e-5f);
                        float[] next = t.forward(m, new long[][] {{11 + r}}, new int[] {1}, cache, alone, false)
                                .toFloatArray();
                        assertClose(Arrays.copyOfRange(decoded, r * v, (r + 1) * v), next, 1e-5f);
                    }
                }
                float[][] ref = new ReferenceLlama(C, W).logits(rows[2], mergedByHand(a2));
                assertClose(ref[lengths[2] - 1], Arrays.copyOfRange(batched, 2 * v, 3 * v), 1e-4f);
            }
        }
    }

    @Test
    void refusesAnAdapterForAnotherBaseModel() throws Exception {
        ModelConfig other = ModelConfig.llama(32, 96, 2, 8, 2, 211, 128);
        Adapter a = TinyAdapters.random("wrong", other, 4, 8, EnumSet.of(Projection.K), false, 6, false);
        AdapterMismatchException e = assertThrows(AdapterMismatchException.class,
                () -> AdapterWeights.upload(a, "tiny", base));
        assertTrue(e.getMessage().contains("k_proj") && e.getMessage().contains("[16, 64]"), e.getMessage());

        Adapter named = new Adapter("n", new AdapterConfig(4, 8, ALL, false, "meta-llama/Llama-2-7b-hf"),
                TinyAdapters.random("n", C, 4, 8, ALL, false, 7, false).factors());
        e = assertThrows(AdapterMismatchException.class, () -> AdapterWeights.upload(named, "tiny", base));
        assertTrue(e.getMessage().contains("Llama-2-7b-hf"), e.getMessage());
        AdapterWeights.upload(named, "llama-2-7b-hf", base).close();

        ModelConfig deeper = ModelConfig.llama(64, 96, 3, 8, 2, 211, 128);
        Adapter deep = TinyAdapters.random("deep", deeper, 4, 8, EnumSet.of(Projection.Q), false, 8, false);
        e = assertThrows(AdapterMismatchException.class, () -> AdapterWeights.upload(deep, null, base));
        assertTrue(e.getMessage().contains("layer 2"), e.getMessage());
    }

    @Test
    void refusesAdapterFoldersItCannotApply() throws Exception {
        Adapter a = TinyAdapters.random("x", C, 4, 8, EnumSet.of(Projection.Q), false, 9, false);
        a.save(dir);
        String cfg = Files.readString(dir.resolve("adapter_config.json"));
        assertRefused(cfg.replace("\"inference_mode\"", "\"modules_to_save\" : [\"lm_head\"], \"inference_mode\""),
                "modules_to_save");
        assertRefused(cfg.replace("\"q_proj\"", "\"c_attn\""), "c_attn");
        assertRefused(cfg.replace("\"r\" : 4", "\"r\" : 8"), "r = 8");
        assertRefused(cfg.replace("\"LORA\"", "\"IA3\""), "IA3");
        Files.writeString(dir.resolve("adapter_config.json"), cfg);
        Files.delete(dir.resolve(Adapter.WEIGHTS_FILE));
        Files.writeString(dir.resolve("adapter_model.bin"), "pickle");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Adapter.load(dir));
        assertTrue(e.getMessage().contains("safe_serialization"), e.getMessage());
    }

    @Test
    void targetModulesAsARegexSelectsProjections() throws Exception {
        Adapter a = TinyAdapters.random("x", C, 2, 4, EnumSet.of(Projection.Q, Projection.V), false, 10, false);
        a.save(dir);
        String cfg = Files.readString(dir.resolve("adapter_config.json"));
        String regex = cfg.replaceAll("\"target_modules\" : \\[[^\\]]*\\]",
                "\"target_modules\" : \".*\\\\\\\\.(q_proj|v_proj)\"");
        Files.writeString(dir.resolve("adapter_config.json"), regex);
        assertEquals(EnumSet.of(Projection.Q, Projection.V), Adapter.load(dir).config().targetModules());
    }

    @Test
    void aTargetModulesRegexThatWouldNotFinishOrIsTooLongIsRefused() throws Exception {
        Adapter a = TinyAdapters.random("x", C, 2, 4, EnumSet.of(Projection.Q), false, 10, false);
        a.save(dir);
        String cfg = Files.readString(dir.resolve("adapter_config.json"));
        String targets = "\"target_modules\" : \\[[^\\]]*\\]";
        // twenty lazy groups over a module name that never ends in X: the JDK backtracks through every split
        // (51 s on this machine without the bound)
        assertRefused(cfg.replaceAll(targets, "\"target_modules\" : \"(.*?){20}X\""), "backtracks");
        // a long literal: the JDK compiles it in time that grows with its square (a fuzzing find)
        assertRefused(cfg.replaceAll(targets, "\"target_modules\" : \"" + "A".repeat(150_000) + "\""),
                "at most 1024");
    }

    private void assertRefused(String config, String part) throws Exception {
        Files.writeString(dir.resolve("adapter_config.json"), config);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Adapter.load(dir));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** W + s·B·A in plain Java, HF layout [out, in]. */
    static Map<String, float[]> mergedByHand(Adapter a) {
        Map<String, float[]> out = new HashMap<>();
        double s = a.config().scale();
        a.factors().forEach((site, f) -> {
            String name = site.projection().path(site.layer()) + ".weight";
            float[] w = W.get(name).values().clone();
            int outDim = (int) f.b().dim(0);
            int inDim = (int) f.a().dim(1);
            int r = (int) f.a().dim(0);
            for (int o = 0; o < outDim; o++) {
                for (int i = 0; i < inDim; i++) {
                    double acc = 0;
                    for (int k = 0; k < r; k++) {
                        acc += f.b().values()[o * r + k] * f.a().values()[k * inDim + i];
                    }
                    w[o * inDim + i] += (float) (s * acc);
                }
            }
            out.put(name, w);
        });
        return out;
    }

    private static float[] run(Transformer t, NDManager m, long[] tokens, WeightDelta delta) {
        try (KvCache cache = new KvCache(m, C.numLayers(), 1)) {
            return t.forward(m, new long[][] {tokens}, new int[] {tokens.length}, cache, delta, true).toFloatArray();
        }
    }

    private static float[] flatten(float[][] x) {
        float[] out = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, out, i * x[0].length, x[0].length);
        }
        return out;
    }

    static float maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    static void assertClose(float[] want, float[] got, float tol) {
        float d = maxDiff(want, got);
        assertTrue(d <= tol, "largest difference " + d + " > " + tol);
    }
}

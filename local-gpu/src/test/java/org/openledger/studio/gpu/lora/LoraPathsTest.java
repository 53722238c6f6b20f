package org.openledger.studio.gpu.lora;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.lora.LoraCostModel.Path;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.model.Transformer;

/**
 * Every LoRA path gives the same logits (within 1e-5) on mixed batches, for a prefill step and decoding steps,
 * and the path {@link AdapterBatch} takes per step is the one its cost model predicts cheapest.
 */
class LoraPathsTest {

    static final ModelConfig C = TinyModels.gqa();
    static NDManager root;
    static LlamaWeights base;
    static AdapterWeights w1;
    static AdapterWeights w2;
    static AdapterWeights w3;

    @BeforeAll
    static void load() throws Exception {
        root = NDManager.newBaseManager();
        base = LlamaWeights.load(C, LlamaWeights.sourceOf(TinyModels.randomWeights(C, 21)), root.newSubManager());
        w1 = AdapterWeights.upload(TinyAdapters.random("a1", C, 4, 8, EnumSet.allOf(Projection.class), false, 4, false),
                null, base);
        w2 = AdapterWeights.upload(TinyAdapters.random("a2", C, 2, 4, EnumSet.of(Projection.Q, Projection.UP), true,
                5, false), null, base);
        w3 = AdapterWeights.upload(TinyAdapters.random("a3", C, 16, 16, EnumSet.of(Projection.V, Projection.DOWN),
                false, 6, false), null, base);
    }

    @AfterAll
    static void stop() {
        root.close();
    }

    /** A prefill of 5 positions (rows of different lengths) and two decoding steps; all logits concatenated. */
    private static float[] run(List<AdapterWeights> perRow, AdapterBatch.Strategy strategy, LoraCostModel costs) {
        int n = perRow.size();
        long[][] prompt = new long[n][5];
        int[] lengths = new int[n];
        for (int r = 0; r < n; r++) {
            lengths[r] = 2 + (r * 3) % 4;
            for (int t = 0; t < lengths[r]; t++) {
                prompt[r][t] = 3 + (7 * r + 11 * t) % (C.vocabSize() - 3);
            }
        }
        Transformer t = new Transformer(base);
        try (NDManager m = root.newSubManager(); AdapterBatch batch = new AdapterBatch(m, C, perRow, strategy, costs);
             KvCache cache = new KvCache(m, C.numLayers(), n)) {
            float[] first = t.forward(m, prompt, lengths, cache, batch, true).toFloatArray();
            long[][] next = new long[n][1];
            int[] ones = new int[n];
            Arrays.fill(ones, 1);
            float[] all = first;
            for (int s = 0; s < 2; s++) {
                for (int r = 0; r < n; r++) {
                    next[r][0] = 20 + r + s;
                }
                float[] step = t.forward(m, next, ones, cache, batch, false).toFloatArray();
                float[] joined = Arrays.copyOf(all, all.length + step.length);
                System.arraycopy(step, 0, joined, all.length, step.length);
                all = joined;
            }
            return all;
        }
    }

    @Test
    void everyPathGivesTheSameLogitsOnMixedBatches() {
        LoraCostModel costs = LoraCostModel.cpuDefaults();
        List<List<AdapterWeights>> batches = List.of(
                Arrays.asList(w1, null, w2, w1, w3, w2),   // ranks 4, 2, 16; different targets; a base row
                Arrays.asList(w3, w3, null),                 // one adapter and a base row
                Arrays.asList(w2, w1, w3));                  // every row its own
        for (List<AdapterWeights> rows : batches) {
            float[] segmented = run(rows, AdapterBatch.Strategy.SEGMENTED, costs);
            LoraTest.assertClose(segmented, run(rows, AdapterBatch.Strategy.GATHERED, costs), 1e-5f);
            LoraTest.assertClose(segmented, run(rows, AdapterBatch.Strategy.AUTO, costs), 1e-5f);
        }
        List<AdapterWeights> uniform = Arrays.asList(w1, w1, w1, w1);
        float[] shared = run(uniform, AdapterBatch.Strategy.SHARED, costs);
        LoraTest.assertClose(shared, run(uniform, AdapterBatch.Strategy.GATHERED, costs), 1e-5f);
        LoraTest.assertClose(shared, run(uniform, AdapterBatch.Strategy.SEGMENTED, costs), 1e-5f);
        LoraTest.assertClose(shared, run(uniform, AdapterBatch.Strategy.AUTO, costs), 1e-5f);
        // base rows see exactly the base model, on every path
        List<AdapterWeights> mixed = Arrays.asList(null, w2, null);
        float[] plain = run(Arrays.asList(null, null, null), AdapterBatch.Strategy.AUTO, costs);
        int v = C.vocabSize();
        for (AdapterBatch.Strategy s : List.of(AdapterBatch.Strategy.GATHERED, AdapterBatch.Strategy.SEGMENTED)) {
            float[] got = run(mixed, s, costs);
            assertArrayEquals(Arrays.copyOfRange(plain, 0, 5 * v), Arrays.copyOfRange(got, 0, 5 * v), s.name());
        }
    }

    private static LoraCostModel costs(double[] shared, double[] gathered, double[] segmented) {
        return new LoraCostModel(Map.of(Path.SHARED, shared, Path.GATHERED, gathered, Path.SEGMENTED, segmented),
                new double[] {0, 0});
    }

    @Test
    void thePathOfEachStepIsTheCheapestByTheModel() {
        List<AdapterWeights> mixed = Arrays.asList(w1, null, w2, w1, w3, w2);
        List<AdapterWeights> uniform = Arrays.asList(w2, w2);
        LoraCostModel gatheredCheap = costs(new double[] {1e6, 0}, new double[] {1, 0, 0}, new double[] {1e6, 0, 0, 0});
        LoraCostModel segmentedCheap = costs(new double[] {1e6, 0}, new double[] {1e6, 0, 0}, new double[] {1, 0, 0, 0});
        LoraCostModel sharedCheap = costs(new double[] {1, 0}, new double[] {1e3, 0, 0}, new double[] {1e3, 0, 0, 0});
        try (NDManager m = root.newSubManager()) {
            assertEquals(Path.GATHERED, new AdapterBatch(m, C, mixed, AdapterBatch.Strategy.AUTO, gatheredCheap).path(1));
            assertEquals(Path.SEGMENTED, new AdapterBatch(m, C, mixed, AdapterBatch.Strategy.AUTO, segmentedCheap)
                    .path(1));
            AdapterBatch shared = new AdapterBatch(m, C, uniform, AdapterBatch.Strategy.AUTO, sharedCheap);
            assertEquals(EnumSet.allOf(Path.class), shared.allowed());
            assertEquals(Path.SHARED, shared.path(1));
            // shared is cheapest but not allowed when rows differ
            AdapterBatch notShared = new AdapterBatch(m, C, mixed, AdapterBatch.Strategy.AUTO, sharedCheap);
            assertFalse(notShared.allowed().contains(Path.SHARED));
            assertNotEquals(Path.SHARED, notShared.path(1));
            assertNull(new AdapterBatch(m, C, Arrays.asList(null, null), AdapterBatch.Strategy.AUTO, sharedCheap).path(1));

            // gathered pays per padded position, segmented a fixed cost per group: set them to cross at 4
            // positions per row, so a decoding step gathers and a prefill chunk of 8 segments
            AdapterBatch probe = new AdapterBatch(m, C, mixed, AdapterBatch.Strategy.AUTO, gatheredCheap);
            LoraCostModel.Work one = probe.work(1);
            double perGroup = (4 * 10 * one.paddedWork() - 4 * one.groupWork()) / one.groups();
            LoraCostModel crossing = costs(new double[] {1e6, 0}, new double[] {0, 10, 0},
                    new double[] {0, perGroup, 1, 0});
            AdapterBatch batch = new AdapterBatch(m, C, mixed, AdapterBatch.Strategy.AUTO, crossing);
            assertEquals(Path.GATHERED, batch.path(1));
            assertEquals(Path.GATHERED, batch.path(3));
            assertEquals(Path.SEGMENTED, batch.path(5));
            assertEquals(Path.SEGMENTED, batch.path(8));
            for (int p = 1; p <= 8; p++) { // and always the argmin of the model's predictions
                double g = crossing.cost(Path.GATHERED, batch.work(p));
                double s = crossing.cost(Path.SEGMENTED, batch.work(p));
                assertEquals(g <= s ? Path.GATHERED : Path.SEGMENTED, batch.path(p), "positions " + p);
                assertEquals(Math.min(g, s), batch.predictedMicros(p), 1e-9);
            }
            // forced strategies ignore the model
            assertEquals(Path.SEGMENTED, new AdapterBatch(m, C, mixed, AdapterBatch.Strategy.SEGMENTED, gatheredCheap)
                    .path(1));
            assertEquals(Path.GATHERED, new AdapterBatch(m, C, uniform, AdapterBatch.Strategy.GATHERED, sharedCheap)
                    .path(1));
        }
    }

    @Test
    void theCountsFollowTheBatch() {
        try (NDManager m = root.newSubManager()) {
            // w1 targets all 7 projections on 2 layers, w2 q and up: sites = 14; groups summed per site
            AdapterBatch b = new AdapterBatch(m, C, Arrays.asList(w1, w2, null), AdapterBatch.Strategy.AUTO,
                    LoraCostModel.cpuDefaults());
            LoraCostModel.Work w = b.work(1);
            assertEquals(2 * 7, w.sites(), 1e-12);
            assertEquals(2 * 7 * 2, w.groups(), 1e-12);
            long[] q = Projection.Q.weightShape(C);
            // at q_proj of one layer: padded = 3 rows x rank 4 x (in + out); group work = (4 + 2) x (in + out)
            double io = (q[0] + q[1]) / 1e6;
            LoraCostModel.Work onlyQ = AdapterBatch.work(C, Arrays.asList(w2, w2));
            assertEquals(2 * 2, onlyQ.sites(), 1e-12); // q and up on 2 layers
            assertTrue(w.paddedWork() >= 2 * 3 * 4 * io);
            assertEquals(2 * b.work(1).groupWork(), b.work(2).groupWork(), 1e-12);
            assertEquals(b.work(1).stackReads(), b.work(8).stackReads(), 1e-12);
        }
    }
}

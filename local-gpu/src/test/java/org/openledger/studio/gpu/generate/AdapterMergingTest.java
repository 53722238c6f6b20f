package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterBatch;
import org.openledger.studio.gpu.lora.AdapterStore;
import org.openledger.studio.gpu.lora.AdapterWeights;
import org.openledger.studio.gpu.lora.LoraCostModel;
import org.openledger.studio.gpu.lora.MergedAdapter;
import org.openledger.studio.gpu.lora.TinyAdapters;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;

/**
 * dLoRA-style merging in the running batch: rows of a merged adapter get the tokens they get unmerged, and
 * log-probabilities within 1e-5; merging and unmerging as the traffic moves never serve a stale or wrong adapter;
 * a replaced or deleted adapter is unmerged at the next step.
 */
class AdapterMergingTest {

    @TempDir
    Path dir;
    BaseModel model;
    ModelConfig c;
    Generator alone;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void load() throws Exception {
        c = TinyModels.chatModel(dir.resolve("model"), 11);
        model = BaseModel.load(dir.resolve("model"), DeviceScan.ofThisMachine().pick("cpu"), 16, 128);
        alone = new Generator(model);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable a : open) {
            a.close();
        }
        model.close();
    }

    private AdapterWeights upload(String id, int rank, long seed) throws Exception {
        AdapterWeights w = model.upload(TinyAdapters.random(id, c, rank, 2 * rank, EnumSet.allOf(Projection.class),
                false, seed, false));
        open.add(w);
        return w;
    }

    /** A cost model under which a second pass costs {@code pass} µs a layer (0: the merged rows always split). */
    private static LoraCostModel passCosting(double pass) {
        LoraCostModel d = LoraCostModel.cpuDefaults();
        Map<LoraCostModel.Path, double[]> k = new HashMap<>();
        for (LoraCostModel.Path p : LoraCostModel.Path.values()) {
            k.put(p, d.coefficients(p));
        }
        return new LoraCostModel(k, new double[] {pass, 0});
    }

    private RunningBatch batch(LoraCostModel costs, Merging merging) {
        return new RunningBatch(model, 16 * 128, 8, 64, AdapterBatch.Strategy.AUTO, costs, merging);
    }

    private GenerationRequest request(int i, AdapterWeights adapter, int maxTokens) {
        Random rnd = new Random(100 + i);
        long[] prompt = new long[3 + rnd.nextInt(8)];
        for (int t = 0; t < prompt.length; t++) {
            prompt[t] = 2 + rnd.nextInt(c.vocabSize() - 2);
        }
        GenerationRequest.Builder b = GenerationRequest.builder(prompt).maxTokens(maxTokens).stopAtEndOfSequence(false)
                .logprobs(2).adapter(adapter);
        if (i % 2 == 0) {
            b.greedy();
        } else {
            b.temperature(0.8).topK(40).topP(0.95).seed((long) i);
        }
        return b.build();
    }

    private void assertSameAsAlone(GenerationRequest r, GenerationResult got, String what) throws Exception {
        GenerationResult want = alone.generate(r, TokenListener.NONE);
        assertArrayEquals(want.tokenIds(), got.tokenIds(), what);
        for (int t = 0; t < want.tokens().size(); t++) {
            assertEquals(want.tokens().get(t).logprob(), got.tokens().get(t).logprob(), 1e-5, what + " token " + t);
            assertEquals(want.tokens().get(t).top().get(1).logprob(), got.tokens().get(t).top().get(1).logprob(), 1e-5,
                    what + " token " + t);
        }
    }

    /** Runs the batch until every row ended; returns each row's result by request. */
    private static Map<GenerationRequest, GenerationResult> drain(RunningBatch batch, List<LiveRow> rows) {
        Map<GenerationRequest, GenerationResult> out = new HashMap<>();
        while (!batch.isEmpty()) {
            for (LiveRow r : batch.step(r -> false)) {
                out.put(r.request, r.result());
            }
        }
        return out;
    }

    @Test
    void rowsOfTheMergedAdapterGetWhatTheyGetUnmerged() throws Exception {
        AdapterWeights a = upload("a", 8, 1);
        AdapterWeights b = upload("b", 4, 2);
        for (double pass : new double[] {0, 1e12}) { // the mixed steps as two passes, or as one over the base
            List<GenerationRequest> requests = new ArrayList<>();
            try (RunningBatch batch = batch(passCosting(pass), new Merging(4, 0.7, 0.5, Long.MAX_VALUE))) {
                for (int i = 0; i < 10; i++) {
                    GenerationRequest r = request(i, i < 8 ? a : i == 8 ? b : null, i < 8 ? 10 + i : 20);
                    requests.add(r);
                    assertNotNull(batch.admit(r, i, TokenListener.NONE));
                }
                Map<GenerationRequest, GenerationResult> got = drain(batch, batch.rows());
                assertEquals(1, batch.merges(), "8 of 10 rows are a's: merged once the window filled");
                if (pass == 0) {
                    assertTrue(batch.splitSteps() > 0, "a's rows ran on the merged copy");
                } else {
                    assertEquals(0, batch.splitSteps(), "a second pass costs more than the LoRA work it saves");
                }
                assertTrue(batch.mergedSteps() == 0, "b's and the base row outlive a's rows");
                for (int i = 0; i < requests.size(); i++) {
                    assertSameAsAlone(requests.get(i), got.get(requests.get(i)), "pass " + pass + " row " + i);
                }
            }
        }
        // every row the merged adapter's: the whole step is one pass over the merged copy, no LoRA term
        try (RunningBatch batch = batch(LoraCostModel.cpuDefaults(), new Merging(3, 0.8, 0.6, Long.MAX_VALUE))) {
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                requests.add(request(20 + i, a, 12));
                batch.admit(requests.get(i), i, TokenListener.NONE);
            }
            Map<GenerationRequest, GenerationResult> got = drain(batch, batch.rows());
            assertTrue(batch.mergedSteps() > 5, batch.mergedSteps() + " steps on the merged copy");
            for (GenerationRequest r : requests) {
                assertSameAsAlone(r, got.get(r), "all-merged row");
            }
        }
    }

    @Test
    void mergingFollowsTheTrafficAndNeverServesTheWrongAdapter() throws Exception {
        AdapterWeights a = upload("a", 8, 1);
        AdapterWeights b = upload("b", 16, 3);
        List<GenerationRequest> requests = new ArrayList<>();
        Map<GenerationRequest, GenerationResult> got = new HashMap<>();
        List<String> merged = new ArrayList<>();
        try (RunningBatch batch = batch(passCosting(0), new Merging(4, 0.7, 0.5, Long.MAX_VALUE))) {
            for (int step = 0; step < 200 && (step < 40 || !batch.isEmpty()); step++) {
                // a's traffic first (8 of 9 rows), then b's (8 of 9), the two overlapping around step 14
                if (step == 0 || step == 14) {
                    boolean first = step == 0;
                    for (int i = 0; i < 9; i++) {
                        AdapterWeights w = (i < 8) == first ? a : b;
                        GenerationRequest r = request(requests.size(), w, first ? 12 : 16);
                        requests.add(r);
                        assertNotNull(batch.admit(r, requests.size(), TokenListener.NONE));
                    }
                }
                for (LiveRow r : batch.step(x -> false)) {
                    got.put(r.request, r.result());
                }
                String now = batch.mergedAdapter();
                if (merged.isEmpty() || !java.util.Objects.equals(merged.get(merged.size() - 1), now)) {
                    merged.add(now);
                }
                AdapterWeights source = batch.mergedSource();
                if (source != null) { // an upload that is still loaded, a or b and nothing else
                    assertFalse(source.isClosed());
                    assertTrue(source == a || source == b);
                }
            }
            assertTrue(merged.contains("a") && merged.contains("b"), "merged over the run: " + merged);
            assertTrue(merged.indexOf("a") < merged.lastIndexOf("b"), merged.toString());
            assertTrue(batch.merges() >= 2 && batch.unmerges() >= 1, batch.merges() + " merges");
        }
        assertEquals(requests.size(), got.size());
        for (int i = 0; i < requests.size(); i++) {
            assertSameAsAlone(requests.get(i), got.get(requests.get(i)), "row " + i);
        }
    }

    @Test
    void aReplacedOrDeletedAdapterIsUnmergedAtTheNextStep() throws Exception {
        Path adapters = dir.resolve("adapters");
        Adapter first = TinyAdapters.random("a", c, 8, 16, EnumSet.allOf(Projection.class), false, 1, false);
        first.save(adapters.resolve("a"));
        TinyAdapters.random("b", c, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 2, false)
                .save(adapters.resolve("b"));
        try (AdapterStore store = new AdapterStore(adapters, model, AdapterStore.Limits.ofCount(4),
                AdapterStore.fileStamps(adapters));
             RunningBatch batch = batch(passCosting(0), new Merging(8, 0.7, 0.3, Long.MAX_VALUE))) {
            AdapterStore.Lease oldA = store.lease("a");
            AdapterStore.Lease leaseB = store.lease("b");
            AdapterWeights bWeights = leaseB.weights();
            List<LiveRow> aRows = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                aRows.add(batch.admit(request(i, oldA.weights(), 10), i, TokenListener.NONE));
            }
            batch.admit(request(6, leaseB.weights(), 60), 6, TokenListener.NONE);
            int steps = 0;
            while (batch.mergedSource() != oldA.weights() && steps++ < 20) {
                batch.step(x -> false);
            }
            assertSame(oldA.weights(), batch.mergedSource(), "a merged");

            // replaced under the same id: a row with the new upload joins; the old copy goes at the next step
            Files.walk(adapters.resolve("a")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            Adapter second = TinyAdapters.random("a", c, 8, 16, EnumSet.allOf(Projection.class), false, 77, false);
            second.save(adapters.resolve("a"));
            store.unload("a"); // as the node does when an adapter is replaced
            AdapterStore.Lease newA = store.lease("a");
            assertNotSame(oldA.weights(), newA.weights());
            GenerationRequest fresh = request(7, newA.weights(), 8);
            LiveRow freshRow = batch.admit(fresh, 7, TokenListener.NONE);
            batch.step(x -> false);
            assertNotSame(oldA.weights(), batch.mergedSource(), "the replaced upload's copy is gone at once");
            Map<GenerationRequest, GenerationResult> got = new HashMap<>();
            while (!aRows.stream().allMatch(r -> r.finish != null) || freshRow.finish == null) {
                for (LiveRow r : batch.step(x -> false)) {
                    got.put(r.request, r.result());
                }
                assertNotSame(oldA.weights(), batch.mergedSource());
            }
            assertSameAsAlone(fresh, got.get(fresh), "the new upload's row");
            GenerationResult stale = alone.generate(GenerationRequest.builder(fresh.promptIds()).maxTokens(8)
                    .stopAtEndOfSequence(false).greedy().adapter(oldA.weights()).build(), TokenListener.NONE);
            GenerationResult fresh0 = alone.generate(GenerationRequest.builder(fresh.promptIds()).maxTokens(8)
                    .stopAtEndOfSequence(false).greedy().adapter(newA.weights()).build(), TokenListener.NONE);
            assertFalse(java.util.Arrays.equals(stale.tokenIds(), fresh0.tokenIds()),
                    "the two uploads differ, so serving the old one would have shown");
            for (LiveRow r : aRows) {
                assertSameAsAlone(r.request, got.get(r.request), "old upload's row");
            }
            oldA.close();

            // b dominates now (its row is the only one left) and gets merged; deleting it unmerges at once
            steps = 0;
            while (batch.mergedSource() != bWeights && steps++ < 20) {
                batch.step(x -> false);
            }
            assertSame(bWeights, batch.mergedSource(), "b merged");
            LiveRow bRow = batch.rows().get(0);
            batch.cancel(bRow); // its client went away
            batch.admit(request(9, null, 30), 9, TokenListener.NONE); // traffic goes on: one base row
            batch.step(x -> false);
            assertSame(bWeights, batch.mergedSource(), "b still dominates the window");
            leaseB.close();
            store.unload("b"); // deleted: nobody holds it, so its upload is freed now
            assertTrue(bWeights.isClosed());
            batch.step(x -> false);
            assertNull(batch.mergedSource(), "a deleted adapter's copy is gone at the next step");
            newA.close();
        }
    }

    @Test
    void theMergedCopyIsBoundedInBytes() throws Exception {
        AdapterWeights a = upload("a", 8, 1);
        long bytes = MergedAdapter.bytes(a, c);
        long perLayer = 0;
        for (Projection p : Projection.values()) {
            long[] w = p.weightShape(c);
            perLayer += w[0] * w[1];
        }
        assertEquals(c.numLayers() * perLayer * 4, bytes, "every projection of every layer, float32");
        for (long limit : new long[] {bytes - 1, bytes}) {
            try (RunningBatch batch = batch(passCosting(0), new Merging(2, 0.5, 0.2, limit))) {
                for (int i = 0; i < 3; i++) {
                    batch.admit(request(i, a, 6), i, TokenListener.NONE);
                }
                drain(batch, batch.rows());
                assertEquals(limit >= bytes ? 1 : 0, batch.merges(), "limit " + limit + " for a copy of " + bytes);
            }
        }
    }
}

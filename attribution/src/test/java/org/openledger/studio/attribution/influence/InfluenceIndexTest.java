package org.openledger.studio.attribution.influence;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.finetune.ModelInit;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;

class InfluenceIndexTest {

    private static NDManager manager;
    private static LlamaWeights weights;
    private static ExampleGradients gradients;
    private static final List<Example> EXAMPLES = new ArrayList<>();
    private static final List<IndexedRow> ROWS = new ArrayList<>();

    @BeforeAll
    static void model() throws Exception {
        manager = NDManager.newBaseManager(Device.cpu());
        weights = LlamaWeights.load(TinyModels.TINY, LlamaWeights.sourceOf(ModelInit.random(TinyModels.TINY, 5)),
                manager.newSubManager());
        Adapter adapter = TinyModels.randomAdapter(TinyModels.TINY, 4, Set.of(Projection.Q, Projection.V), 3);
        gradients = new ExampleGradients(new Transformer(weights), adapter, manager);
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < 50; i++) {
            EXAMPLES.add(Example.text(TinyModels.tokens(rnd, 4 + rnd.nextInt(20), 48)));
            ROWS.add(new IndexedRow("line:" + (i + 1), null, null, null, null, "row " + i));
        }
    }

    @AfterAll
    static void close() {
        gradients.close();
        weights.close();
        manager.close();
    }

    private static InfluenceIndexBuilder.Spec spec(int k, Preconditioner.Kind kind) {
        return new InfluenceIndexBuilder.Spec("tiny-lora", "abc", "tiny-base", k, 42, kind, 0.1);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    /**
     * Scores of the projected index (TracIn: no preconditioner) equal the exact, unprojected gradient dot products
     * within the Johnson-Lindenstrauss error of k: a Rademacher projection's estimate of ⟨x, y⟩ has a standard
     * deviation of at most sqrt(2/k)·|x||y|; every pair stays within 5 of them (plus float16 rounding).
     */
    @Test
    void projectedScoresEqualExactGradientDotProductsWithinTheJlError(@TempDir Path dir) throws Exception {
        int k = 256;
        assertTrue(gradients.parameters() > k, "the projection really reduces: P = " + gradients.parameters());
        InfluenceIndex index = InfluenceIndexBuilder.build(dir, spec(k, Preconditioner.Kind.IDENTITY), ROWS, EXAMPLES,
                gradients, manager, InfluenceIndexBuilder.Listener.NONE, () -> false, 16);
        assertEquals(50, index.rows());
        assertEquals(4, index.manifest().shards().size());
        float[][] exact = gradients.compute(EXAMPLES);
        try (InfluenceQuery q = new InfluenceQuery(index, gradients, manager)) {
            int worstPairs = 0;
            double bound = 5 * Math.sqrt(2.0 / k);
            for (int test = 0; test < 10; test++) {
                float[] scores = q.scores(EXAMPLES.get(test), true);
                for (int row = 0; row < EXAMPLES.size(); row++) {
                    double truth = dot(exact[test], exact[row]);
                    double scale = norm(exact[test]) * norm(exact[row]);
                    double err = Math.abs(scores[row] - truth);
                    assertTrue(err <= bound * scale + 1e-3 * scale, "pair " + test + "," + row + ": " + scores[row]
                            + " vs exact " + truth + " (|x||y| = " + scale + ")");
                    worstPairs += err > bound * scale / 5 * 2 ? 1 : 0;
                }
                // the example itself is the most similar row to itself under a plain dot product of gradients
                assertTrue(scores[test] > 0);
            }
            assertTrue(worstPairs < 25, worstPairs + " of 500 pairs beyond 2 sigma");
        }
    }

    @Test
    void identityProjectionWhenKCoversEveryParameterGivesExactScores(@TempDir Path dir) throws Exception {
        InfluenceIndex index = InfluenceIndexBuilder.build(dir, spec(1 << 20, Preconditioner.Kind.IDENTITY), ROWS,
                EXAMPLES, gradients, manager, InfluenceIndexBuilder.Listener.NONE, () -> false);
        assertTrue(index.manifest().identityProjection());
        assertEquals(gradients.parameters(), index.k());
        float[][] exact = gradients.compute(EXAMPLES.subList(0, 2));
        float[] stored = index.gradient(1);
        for (int i = 0; i < stored.length; i++) {
            assertEquals(exact[1][i], stored[i], Math.abs(exact[1][i]) * 1e-3 + 1e-7, "float16 of parameter " + i);
        }
    }

    @Test
    void gramPreconditionerIsTheDampedInverseOfTheStoredGradients(@TempDir Path dir) throws Exception {
        int k = 32;
        InfluenceIndex index = InfluenceIndexBuilder.build(dir, spec(k, Preconditioner.Kind.GRAM), ROWS, EXAMPLES,
                gradients, manager, InfluenceIndexBuilder.Listener.NONE, () -> false, 16);
        Preconditioner p = index.preconditioner();
        assertEquals(Preconditioner.Kind.GRAM, p.kind());
        // H = ΦᵀΦ/n + λI from the stored rows; H · (H⁻¹ v) = v
        double[] h = new double[k * k];
        for (int r = 0; r < index.rows(); r++) {
            float[] g = index.gradient(r);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    h[i * k + j] += (double) g[i] * g[j] / index.rows();
                }
            }
        }
        for (int i = 0; i < k; i++) {
            h[i * k + i] += p.lambda();
        }
        float[] v = index.gradient(7);
        float[] x = p.apply(v);
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += h[i * k + j] * x[j];
            }
            assertEquals(v[i], s, 1e-3 * norm(v), "row " + i + " of H·H⁻¹v");
        }
    }

    @Test
    void aCorruptedOrTruncatedShardIsRefusedNeverScored(@TempDir Path dir) throws Exception {
        InfluenceIndexBuilder.build(dir, spec(64, Preconditioner.Kind.GRAM), ROWS, EXAMPLES, gradients, manager,
                InfluenceIndexBuilder.Listener.NONE, () -> false, 16);
        InfluenceIndex.open(dir);
        Path shard = dir.resolve("shard-00001.f16");
        byte[] original = Files.readAllBytes(shard);
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0x10);
        }
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> InfluenceIndex.open(dir));
        assertTrue(e.getMessage().contains("shard-00001.f16") && e.getMessage().contains("checksum"), e.getMessage());
        Files.write(shard, java.util.Arrays.copyOf(original, original.length - 2));
        e = assertThrows(CorruptIndexException.class, () -> InfluenceIndex.open(dir));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Files.delete(dir.resolve("preconditioner.f32"));
        assertThrows(CorruptIndexException.class, () -> InfluenceIndex.open(dir));
    }

    @Test
    void aBuildStoppedMidwayGoesOnFromItsLastCompleteShard(@TempDir Path dir) throws Exception {
        AtomicInteger progress = new AtomicInteger();
        InfluenceIndexBuilder.Spec spec = spec(64, Preconditioner.Kind.GRAM);
        assertThrows(CancellationException.class, () -> InfluenceIndexBuilder.build(dir, spec, ROWS, EXAMPLES,
                gradients, manager, (done, total) -> progress.set(done), () -> progress.get() >= 20, 16));
        assertFalse(InfluenceIndex.exists(dir), "no manifest: the index is not finished");
        assertTrue(Files.exists(dir.resolve("shard-00000.f16")));
        long written = Files.getLastModifiedTime(dir.resolve("shard-00000.f16")).toMillis();
        byte[] first = Files.readAllBytes(dir.resolve("shard-00000.f16"));
        List<Integer> reported = new ArrayList<>();
        InfluenceIndex index = InfluenceIndexBuilder.build(dir, spec, ROWS, EXAMPLES, gradients, manager,
                (done, total) -> reported.add(done), () -> false, 16);
        assertEquals(16, reported.get(0), "the first shard is taken as it was, not computed again");
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("shard-00000.f16")));
        assertEquals(written, Files.getLastModifiedTime(dir.resolve("shard-00000.f16")).toMillis());
        assertEquals(50, index.rows());

        // the same rows built in one go give the same index
        Path other = dir.resolveSibling(dir.getFileName() + "-again");
        InfluenceIndex again = InfluenceIndexBuilder.build(other, spec, ROWS, EXAMPLES, gradients, manager,
                InfluenceIndexBuilder.Listener.NONE, () -> false, 16);
        for (int r = 0; r < 50; r++) {
            assertArrayEquals(again.gradient(r), index.gradient(r), 1e-6f);
        }
    }

    /**
     * An index written from given vectors reads back as a built one (float16 of the vectors, Gram preconditioner
     * of the stored values), and queries score the same whether the shards are decoded to float32 or read as
     * float16, equal to the dot products of the stored vectors.
     */
    @Test
    void anIndexFromVectorsScoresAlikeDecodedOrReadAsHalves(@TempDir Path dir) throws Exception {
        int k = 37;
        int n = 1100;
        List<IndexedRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new IndexedRow("line:" + (i + 1), null, null, null, null, "row " + i));
        }
        InfluenceIndexBuilder.Vectors vectors = row -> {
            SplittableRandom rnd = new SplittableRandom(row);
            float[] v = new float[k];
            for (int j = 0; j < k; j++) {
                v[j] = (float) (rnd.nextDouble() * 2 - 1);
            }
            return v;
        };
        InfluenceIndex written = InfluenceIndexBuilder.fromVectors(dir, spec(k, Preconditioner.Kind.GRAM), 500, rows,
                vectors, manager, 300);
        assertEquals(n, written.rows());
        assertEquals(4, written.manifest().shards().size());
        assertEquals(Preconditioner.Kind.GRAM, written.preconditioner().kind());
        for (int i : new int[] {0, 299, 300, 1099}) {
            float[] v = vectors.vector(i);
            float[] stored = written.gradient(i);
            for (int j = 0; j < k; j++) {
                assertEquals(Half.toFloat(Half.fromFloat(v[j])), stored[j], 0f);
            }
        }
        float[] q = vectors.vector(5000);
        String before = System.getProperty(InfluenceIndex.DECODE_BUDGET_PROPERTY);
        try {
            System.setProperty(InfluenceIndex.DECODE_BUDGET_PROPERTY, "0");
            InfluenceIndex halves = InfluenceIndex.open(dir);
            float[] fromHalves = halves.scores(q, true);
            assertFalse(halves.decodedInMemory());
            System.setProperty(InfluenceIndex.DECODE_BUDGET_PROPERTY, "64");
            InfluenceIndex floats = InfluenceIndex.open(dir);
            float[] fromFloats = floats.scores(q, true);
            assertTrue(floats.decodedInMemory());
            assertArrayEquals(fromHalves, fromFloats, 0f);
            float[] plain = floats.scores(q, false);
            for (int i = 0; i < n; i++) {
                assertEquals(dot(floats.gradient(i), q), plain[i], 1e-4);
            }
            float[] pq = floats.preconditioner().apply(q);
            assertEquals(dot(floats.gradient(777), pq), fromFloats[777], 1e-4);
        } finally {
            if (before == null) {
                System.clearProperty(InfluenceIndex.DECODE_BUDGET_PROPERTY);
            } else {
                System.setProperty(InfluenceIndex.DECODE_BUDGET_PROPERTY, before);
            }
        }
    }

    @Test
    void halfPrecisionRoundsToNearestEven() {
        for (float f : new float[] {0f, -0f, 1f, -2.5f, 65504f, 1e-5f, 6.1e-5f, 3.14159f, 1e-8f}) {
            float back = Half.toFloat(Half.fromFloat(f));
            assertEquals(f, back, Math.abs(f) / 1024 + 6e-8f, "float16 of " + f);
        }
        assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(1e6f)));
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
        assertEquals((short) 0x3c00, Half.fromFloat(1f));
        assertEquals((short) 0x3c00, Half.fromFloat(1f + 0x1p-11f), "a tie goes to the even mantissa");
        assertEquals((short) 0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f), "a tie goes to the even mantissa");
    }
}

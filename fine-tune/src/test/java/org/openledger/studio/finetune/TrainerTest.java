package org.openledger.studio.finetune;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.safetensors.Tensor;

class TrainerTest {

    private static final ModelConfig TINY = ModelConfig.llama(32, 64, 2, 4, 2, 48, 64).withTiedEmbeddings(true);

    /** A stream with structure to learn: mostly a fixed cycle through the vocabulary, with some noise. */
    static TokenWindows data() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        int[] train = new int[4000];
        int[] validation = new int[600];
        for (int[] a : List.of(train, validation)) {
            int t = 1;
            for (int i = 0; i < a.length; i++) {
                t = rnd.nextInt(10) == 0 ? rnd.nextInt(48) : (t * 5 + 7) % 48;
                a[i] = t;
            }
        }
        return new TokenWindows(train, validation);
    }

    private static TrainingConfig config(int steps) {
        return TrainingConfig.defaults(steps, 4, 16, 3e-2, 11).withEvaluation(steps, 4).withCheckpointEvery(4);
    }

    @Test
    void lossAndValidationPerplexityFall() throws Exception {
        List<TrainingListener.Evaluation> evals = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                losses.add(r.loss());
                assertTrue(Double.isFinite(r.gradientNorm()) && r.tokensPerSecond() > 0);
            }

            @Override
            public void onEvaluation(Evaluation e) {
                evals.add(e);
            }
        };
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager())) {
            Trainer trainer = new Trainer(new Transformer(w), Trainable.allWeights(w),
                    config(40).withEvaluation(20, 4), data());
            double before = trainer.evaluate(0).loss();
            Trainer.Result r = trainer.run(null, listener, () -> false);
            assertEquals(40, losses.size());
            assertEquals(2, evals.size());
            assertEquals(Math.log(48), before, 0.2, "fresh weights predict about uniformly");
            assertTrue(r.validationPerplexity() < Math.exp(before) / 4,
                    "validation perplexity fell from " + Math.exp(before) + " to " + r.validationPerplexity());
            assertTrue(losses.get(39) < losses.get(0) * 0.6, "training loss " + losses);
            assertEquals(40L * 4 * 16, r.tokensSeen());
        }
    }

    @Test
    void aRunCancelledAndResumedEndsWhereAnUninterruptedRunEnds(@TempDir Path dir) throws Exception {
        Map<String, Tensor> uninterrupted = train(dir.resolve("a"), 12, -1);
        assertThrows(CancellationException.class, () -> train(dir.resolve("b"), 12, 8));
        assertEquals(8, TrainingCheckpoint.read(dir.resolve("b")).step());
        Map<String, Tensor> resumed = train(dir.resolve("b"), 12, -1);
        for (String name : uninterrupted.keySet()) {
            float[] x = uninterrupted.get(name).values();
            float[] y = resumed.get(name).values();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 1e-5, name + "[" + i + "]");
            }
        }
        Map<String, Tensor> fresh = ModelInit.random(TINY, 5);
        assertNotEquals(fresh.get("model.norm.weight").values()[0], resumed.get("model.norm.weight").values()[0],
                "training changed the weights");
    }

    @Test
    void aCheckpointThatRunsOutOfSpaceFailsTheRunAndLeavesThePreviousOneIntact(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("c");
        int[] writes = {0};
        // the disk fills while the second checkpoint is half written (a real full disk cannot be had in a test)
        TrainingCheckpoint.Writer fillsUp = (checkpoint, folder) -> {
            if (++writes[0] < 2) {
                checkpoint.write(folder);
                return;
            }
            Path tmp = Files.createDirectories(folder.resolve(TrainingCheckpoint.CURRENT + ".tmp"));
            Files.write(tmp.resolve("trainable.safetensors"), new byte[100]);
            throw new IOException("No space left on device");
        };
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager())) {
            Trainer trainer = new Trainer(new Transformer(w), Trainable.allWeights(w), config(12).withAccumulation(2),
                    data()).checkpointWriter(fillsUp);
            IOException e = assertThrows(IOException.class,
                    () -> trainer.run(checkpoints, TrainingListener.NONE, () -> false));
            assertEquals("No space left on device", e.getMessage());
        }
        TrainingCheckpoint kept = TrainingCheckpoint.read(checkpoints);
        assertEquals(4, kept.step(), "the checkpoint before the full disk is the one found");
        // with space again, the run resumes from it and ends as an uninterrupted one does
        Map<String, Tensor> resumed = train(checkpoints, 12, -1);
        Map<String, Tensor> uninterrupted = train(dir.resolve("u"), 12, -1);
        // eight steps of Adam from step 4 amplify float rounding more than the four from step 8 above: 1e-3
        assertArrayEquals(uninterrupted.get("model.norm.weight").values(), resumed.get("model.norm.weight").values(),
                1e-3f);
        assertFalse(Files.exists(checkpoints.resolve(TrainingCheckpoint.CURRENT + ".tmp")), "half-written files removed");
    }

    /** Trains from the same initial weights, cancelling once {@code cancelAfter} steps are done (-1: never). */
    private static Map<String, Tensor> train(Path checkpoints, int steps, int cancelAfter) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager())) {
            int[] done = {0};
            TrainingListener count = new TrainingListener() {
                @Override
                public void onStep(StepReport r) {
                    done[0] = r.step();
                }
            };
            new Trainer(new Transformer(w), Trainable.allWeights(w), config(steps).withAccumulation(2), data())
                    .run(checkpoints, count, () -> cancelAfter >= 0 && done[0] >= cancelAfter);
            return w.toTensors();
        }
    }

    @Test
    void learningRateWarmsUpThenDecaysToTheMinimum() {
        TrainingConfig c = TrainingConfig.defaults(100, 1, 8, 1e-3, 1);
        assertEquals(5, c.warmupSteps());
        assertEquals(1e-3 / 5, c.learningRateAt(0), 1e-12);
        assertEquals(1e-3, c.learningRateAt(4), 1e-12);
        assertEquals(1e-3, c.learningRateAt(5), 1e-12);
        assertEquals(1e-4, c.learningRateAt(99), 1e-12);
        for (int s = 6; s < 100; s++) {
            assertTrue(c.learningRateAt(s) <= c.learningRateAt(s - 1));
        }
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults(10, 0, 8, 1e-3, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults(10, 1, 8, 2.0, 1));
    }
}

package org.openledger.studio.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.finetune.TrainingBenchmark.Measurement;
import org.openledger.studio.finetune.TrainingBenchmark.Mode;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Transformer;

class TrainingBenchmarkTest {

    private static final ModelConfig TINY = ModelConfig.llama(32, 64, 2, 4, 2, 48, 64).withTiedEmbeddings(true);

    @Test
    void measuresEveryModeLoraFirstWithExactStateBytes() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager())) {
            TrainingBenchmark.Report r = new TrainingBenchmark(new TrainingBenchmark.Settings(1, 3, 2, 16, 1), s -> { })
                    .run("tiny", new Transformer(w), EnumSet.allOf(Mode.class));
            assertEquals(List.of(Mode.LORA_QV, Mode.LORA_ALL, Mode.FULL),
                    r.measurements().stream().map(Measurement::mode).toList(), "full fine-tuning runs last");
            long params = TINY.parameterCount();
            Measurement full = r.full();
            assertEquals(params, full.trainableParameters());
            assertEquals(params * 4 + params * 4 * 3, full.exactBytes(), "weights + gradient + AdamW m and v");
            // q: [32, 32], v: [16, 32] (2 kv heads of 8): A [8, 32] each, B [32, 8] and [16, 8]; 2 layers
            Measurement qv = r.measurements().get(0);
            long lora = 2L * (8 * 32 + 32 * 8 + 8 * 32 + 16 * 8);
            assertEquals(lora, qv.trainableParameters());
            assertEquals(params * 4 + lora * 4 * 4, qv.exactBytes(), "base weights + factors, their gradient, m, v");
            for (Measurement x : r.measurements()) {
                assertTrue(x.medianStepSeconds() > 0 && x.tokensPerSecond() > 0, x.toString());
                assertEquals(32 / x.medianStepSeconds(), x.tokensPerSecond(), 1e-6 * x.tokensPerSecond());
                assertTrue(x.peakRssGrowthBytes() >= 0, "Linux reports the resident peak: " + x);
                assertEquals(0, x.nonFiniteSteps(), x.toString());
            }
        }
    }

    @Test
    void refusesAContextBeyondTheModelsPositions() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager())) {
            TrainingBenchmark b = new TrainingBenchmark(new TrainingBenchmark.Settings(0, 1, 1, 65, 1), s -> { });
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.run("tiny", new Transformer(w), EnumSet.of(Mode.FULL)));
            assertTrue(e.getMessage().contains("exceeds the 64 positions of tiny"), e.getMessage());
        }
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, TrainingBenchmark.median(new double[] {3, 1, 2}));
        assertEquals(2.5, TrainingBenchmark.median(new double[] {4, 1, 3, 2}));
    }
}

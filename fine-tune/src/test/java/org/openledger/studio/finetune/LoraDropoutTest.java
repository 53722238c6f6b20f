package org.openledger.studio.finetune;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;

/** LoRA dropout (PEFT's lora_dropout): applied while training only, with masks that repeat on resume. */
class LoraDropoutTest {

    private static final ModelConfig TINY = ModelConfig.llama(32, 64, 2, 4, 2, 48, 64).withTiedEmbeddings(true);
    private static final Adapter.Site SITE = new Adapter.Site(1, Projection.V);

    /** B of layer 1's v_proj after 12 steps, cancelled once {@code cancelAfter} steps are done (-1: never). */
    private static float[] train(double dropout, Path checkpoints, int cancelAfter, Path export) throws Exception {
        AdapterConfig ac = new AdapterConfig(4, 8, Set.of(Projection.Q, Projection.V), false, "tiny-base", dropout);
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager());
             LoraTrainable lora = new LoraTrainable(TINY, ac, 3, m.newSubManager())) {
            int[] done = {0};
            TrainingListener count = new TrainingListener() {
                @Override
                public void onStep(StepReport r) {
                    done[0] = r.step();
                }
            };
            Trainer t = new Trainer(new Transformer(w), lora, TrainingConfig.defaults(12, 4, 16, 2e-2, 11)
                    .withEvaluation(6, 2).withCheckpointEvery(4), TrainerTest.data());
            double before = t.evaluate(0).loss();
            assertEquals(before, t.evaluate(0).loss(), 0.0, "evaluation never drops anything out");
            t.run(checkpoints, count, () -> cancelAfter >= 0 && done[0] >= cancelAfter);
            if (export != null) {
                lora.toAdapter("dropped").save(export);
            }
            return lora.parameters().get(Adapter.name(SITE, "B")).toFloatArray();
        }
    }

    @Test
    void dropoutIsSeededChangesTrainingAndRepeatsExactlyOnResume(@TempDir Path dir) throws Exception {
        float[] a = train(0.3, null, -1, dir.resolve("export"));
        float[] b = train(0.3, null, -1, null);
        assertArrayEquals(a, b, 0f, "the same seed draws the same masks");
        float[] none = train(0.0, null, -1, null);
        assertFalse(java.util.Arrays.equals(a, none), "dropout changes what is learned");

        assertThrows(CancellationException.class, () -> train(0.3, dir.resolve("c"), 5, null));
        float[] resumed = train(0.3, dir.resolve("c"), -1, null);
        assertArrayEquals(a, resumed, 1e-5f, "resumed at step 8 with the masks of the uninterrupted run");

        AdapterConfig back = AdapterConfig.read(dir.resolve("export"));
        assertEquals(0.3, back.loraDropout(), 1e-12, "adapter_config.json records lora_dropout as PEFT does");
        assertThrows(IllegalArgumentException.class, () -> new AdapterConfig(4, 8, Set.of(Projection.Q), false,
                null, 1.0));
    }
}

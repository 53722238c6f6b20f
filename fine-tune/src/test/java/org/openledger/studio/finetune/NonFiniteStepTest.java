package org.openledger.studio.finetune;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.model.WeightDelta;

/**
 * A forward pass that turns NaN (injected: a real model does so only when it overflows) must never reach the
 * parameters: the step is skipped, and a run that keeps producing NaN stops as diverged.
 */
class NonFiniteStepTest {

    private static final ModelConfig TINY = ModelConfig.llama(32, 64, 2, 4, 2, 48, 64).withTiedEmbeddings(true);

    /** LoRA whose delta is NaN on the forward passes numbered in {@code poisoned} (0-based, one per micro-batch). */
    private static Trainable poisonedOn(LoraTrainable lora, Set<Integer> poisoned, AtomicInteger passes) {
        return new Trainable() {
            @Override
            public Map<String, NDArray> parameters() {
                return lora.parameters();
            }

            @Override
            public WeightDelta delta() {
                int pass = passes.getAndIncrement();
                WeightDelta real = lora.delta();
                return (layer, projection, x) -> {
                    NDArray d = real.apply(layer, projection, x);
                    return d != null && poisoned.contains(pass) ? d.mul(Float.NaN) : d;
                };
            }
        };
    }

    /** B of every projection after 8 steps with the forward passes in {@code poisoned} turned NaN. */
    private static float[] run(Set<Integer> poisoned, List<Double> losses) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager());
             LoraTrainable lora = new LoraTrainable(TINY, adapter(), 3, m.newSubManager())) {
            // evaluation passes also call delta(): evaluate only at the end, so the passes are the steps' (and
            // their second attempts')
            Trainer trainer = new Trainer(new Transformer(w), poisonedOn(lora, poisoned, new AtomicInteger()),
                    TrainingConfig.defaults(8, 4, 16, 2e-2, 11).withEvaluation(0, 2), TrainerTest.data());
            Trainer.Result r = trainer.run(null, new TrainingListener() {
                @Override
                public void onStep(StepReport report) {
                    losses.add(report.loss());
                }
            }, () -> false);
            assertTrue(Double.isFinite(r.validationLoss()), "validation " + r.validationLoss());
            List<Float> out = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
                for (float v : e.getValue().toFloatArray()) {
                    assertTrue(Float.isFinite(v), e.getKey() + " holds a non-finite value");
                    out.add(v);
                }
            }
            float[] a = new float[out.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = out.get(i);
            }
            return a;
        }
    }

    @Test
    void aTransientNaNIsComputedAgainAndTheRunEndsAsAnUndisturbedOne() throws Exception {
        List<Double> losses = new ArrayList<>();
        float[] disturbed = run(Set.of(4), losses); // pass 4: step 5's first attempt
        assertTrue(losses.stream().allMatch(Double::isFinite), losses.toString());
        assertArrayEquals(run(Set.of(), new ArrayList<>()), disturbed, 0f, "the step computed again is the same step");
    }

    @Test
    void aStepThatStaysNaNIsSkippedAndTheRunGoesOn() throws Exception {
        List<Double> losses = new ArrayList<>();
        run(Set.of(2, 3), losses); // step 3 and its second attempt
        assertTrue(Double.isNaN(losses.get(2)), losses.toString());
        assertTrue(Double.isFinite(losses.get(3)), "the step after a skipped one learns from finite weights");
        assertEquals(8, losses.size());
    }

    @Test
    void aRunThatKeepsProducingNaNStopsAsDivergedWithTheParametersUntouched() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager());
             LoraTrainable lora = new LoraTrainable(TINY, adapter(), 3, m.newSubManager())) {
            float[] before = lora.parameters().values().iterator().next().toFloatArray();
            Set<Integer> all = new java.util.HashSet<>();
            for (int i = 0; i < 100; i++) {
                all.add(i);
            }
            Trainer trainer = new Trainer(new Transformer(w), poisonedOn(lora, all, new AtomicInteger()),
                    TrainingConfig.defaults(20, 4, 16, 2e-2, 11).withEvaluation(0, 2), TrainerTest.data());
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> trainer.run(null, TrainingListener.NONE, () -> false));
            assertTrue(e.getMessage().contains("step " + (Trainer.MAX_NON_FINITE_STEPS + 1)), e.getMessage());
            assertArrayEquals(before, lora.parameters().values().iterator().next().toFloatArray());
        }
    }

    private static AdapterConfig adapter() {
        return new AdapterConfig(8, 16, Set.of(Projection.values()), false, "tiny-base");
    }
}

package org.openledger.studio.finetune;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;

/**
 * Training must not depend on when the JVM collects garbage: an array the engine still needs for the backward pass
 * but whose host buffer the JVM may free (a {@code Number} operand wrapped by DJL, a closed host-wrapped array)
 * shows here as NaN or as two identical runs that end apart.
 */
class GarbageCollectionTest {

    private static final ModelConfig TINY = ModelConfig.llama(32, 64, 2, 4, 2, 48, 64).withTiedEmbeddings(true);

    private static List<float[]> train() throws Exception {
        AdapterConfig ac = new AdapterConfig(4, 8, Set.of(Projection.values()), false, "tiny-base");
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager());
             LoraTrainable lora = new LoraTrainable(TINY, ac, 3, m.newSubManager())) {
            new Trainer(new Transformer(w), lora, TrainingConfig.defaults(16, 4, 16, 2e-2, 11).withAccumulation(2)
                    .withEvaluation(0, 2), TrainerTest.data()).run(null, TrainingListener.NONE, () -> false);
            List<float[]> out = new ArrayList<>();
            for (int layer = 0; layer < TINY.numLayers(); layer++) {
                for (Projection p : Projection.values()) {
                    out.add(lora.parameters().get(Adapter.name(new Adapter.Site(layer, p), "B")).toFloatArray());
                }
            }
            return out;
        }
    }

    @Test
    void runsUnderGarbageCollectionLoadEndBitIdentical() throws Exception {
        List<float[]> quiet = train();
        Thread churn = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                byte[][] junk = new byte[2000][];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = new byte[1024];
                }
                ByteBuffer.allocateDirect(4096); // reuses the native memory freed buffers leave
                System.gc();
            }
        }, "gc-churn");
        churn.setDaemon(true);
        churn.start();
        try {
            // with pow(-0.5f) in RMSNorm and mul(2f) on the LoRA path this run diverged by step 4
            List<float[]> loaded = train();
            for (int i = 0; i < quiet.size(); i++) {
                assertArrayEquals(quiet.get(i), loaded.get(i), 0f, "under GC load, factor " + i);
            }
        } finally {
            churn.interrupt();
            churn.join(5000);
        }
    }
}

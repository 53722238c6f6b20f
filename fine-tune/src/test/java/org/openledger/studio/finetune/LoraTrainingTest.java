package org.openledger.studio.finetune;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.List;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterBatch;
import org.openledger.studio.gpu.lora.AdapterWeights;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.safetensors.Tensor;

class LoraTrainingTest {

    private static final ModelConfig TINY = ModelConfig.llama(32, 64, 2, 4, 2, 48, 64).withTiedEmbeddings(true);

    @Test
    void onlyTheFactorsLearnTheBaseStaysBitIdenticalAndTheAdapterExportsInPeftNames(@TempDir Path dir)
            throws Exception {
        AdapterConfig ac = new AdapterConfig(8, 16, Set.of(Projection.values()), false, "tiny-base");
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager());
             LoraTrainable lora = new LoraTrainable(TINY, ac, 3, m.newSubManager())) {
            Map<String, Tensor> before = w.toTensors();
            Trainer trainer = new Trainer(new Transformer(w), lora,
                    TrainingConfig.defaults(30, 4, 16, 2e-2, 11).withEvaluation(30, 4), TrainerTest.data());
            double start = trainer.evaluate(0).loss();
            Trainer.Result r = trainer.run(dir.resolve("checkpoints"), TrainingListener.NONE, () -> false);
            assertTrue(r.validationLoss() < start - 0.1, "validation loss " + start + " -> " + r.validationLoss());

            Map<String, Tensor> after = w.toTensors();
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name).values(), after.get(name).values(), name + " changed");
            }
            assertEquals(2 * 7 * 2, lora.parameters().size(), "A and B of 7 projections in 2 layers");

            lora.toAdapter("tiny-lora").save(dir.resolve("tiny-lora"));
            Adapter back = Adapter.load(dir.resolve("tiny-lora"));
            back.checkFits("tiny-base", TINY);
            assertEquals(14, back.factors().size());
            Adapter.Site site = new Adapter.Site(1, Projection.DOWN);
            assertArrayEquals(lora.parameters().get(Adapter.name(site, "B")).toFloatArray(),
                    back.factors().get(site).b().values());
            assertTrue(lora.parameters().containsKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));

            // the exported adapter, loaded back and served the way inference serves it, gives the trained logits
            Transformer t = new Transformer(w);
            long[][] prompt = {{1, 6, 37, 2, 9, 14, 21, 40}};
            int[] lengths = {8};
            try (NDManager s = m.newSubManager();
                 AdapterWeights up = AdapterWeights.upload(back, "tiny-base", w);
                 AdapterBatch served = new AdapterBatch(s, TINY, List.of(up))) {
                float[] trained;
                float[] loaded;
                try (KvCache c = new KvCache(s, TINY.numLayers(), 1)) {
                    trained = t.forward(s, prompt, lengths, c, lora.delta(), true).toFloatArray();
                }
                try (KvCache c = new KvCache(s, TINY.numLayers(), 1)) {
                    loaded = t.forward(s, prompt, lengths, c, served, true).toFloatArray();
                }
                assertArrayEquals(trained, loaded, 1e-5f);
            }
        }
    }
}

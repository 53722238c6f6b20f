package org.openledger.studio.finetune;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;

/** Loss masks: prompt tokens of instruction data are read but never learned to be predicted. */
class LossMaskTest {

    private static final ModelConfig TINY = ModelConfig.llama(32, 64, 2, 4, 2, 48, 64).withTiedEmbeddings(true);

    private static boolean[] all(int n, boolean v) {
        boolean[] m = new boolean[n];
        Arrays.fill(m, v);
        return m;
    }

    @Test
    void aMaskOfOnlyTargetsGivesTheUnmaskedLossAndAnEmptyMaskTeachesNothing() throws Exception {
        TokenWindows plain = TrainerTest.data();
        int[] train = new int[plain.trainTokens()];
        int[] validation = new int[plain.validationTokens()];
        // the same streams as TrainerTest.data(), rebuilt through the public batch API
        long[][] v = plain.validationBatch(0, plain.validationWindows(15), 15);
        for (int w = 0; w < v.length; w++) {
            for (int i = 0; i < 16; i++) {
                validation[w * 16 + i] = (int) v[w][i];
            }
        }
        AdapterConfig ac = new AdapterConfig(4, 8, Set.of(Projection.Q, Projection.V), false, "tiny-base");
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             LlamaWeights w = LlamaWeights.load(TINY, LlamaWeights.sourceOf(ModelInit.random(TINY, 5)),
                     m.newSubManager());
             LoraTrainable lora = new LoraTrainable(TINY, ac, 3, m.newSubManager())) {
            TrainingConfig c = TrainingConfig.defaults(6, 4, 15, 2e-2, 11).withEvaluation(0, 4);
            TokenWindows unmasked = new TokenWindows(TrainerTest.data().trainTokens() > 0 ? stream(4000) : train,
                    validation);
            TokenWindows everyTarget = new TokenWindows(stream(4000), all(4000, true), validation,
                    all(validation.length, true));
            double a = new Trainer(new Transformer(w), lora, c, unmasked).evaluate(0).loss();
            double b = new Trainer(new Transformer(w), lora, c, everyTarget).evaluate(0).loss();
            assertEquals(a, b, 1e-6, "a mask that keeps every target changes nothing");

            TokenWindows noTarget = new TokenWindows(stream(4000), all(4000, false), validation,
                    all(validation.length, false));
            new Trainer(new Transformer(w), lora, c, noTarget).run(null, TrainingListener.NONE, () -> false);
            for (var e : lora.parameters().entrySet()) {
                if (e.getKey().contains("lora_B")) {
                    for (float x : e.getValue().toFloatArray()) {
                        assertEquals(0f, x, e.getKey() + ": no target, no gradient, B stays zero");
                    }
                }
            }
            Adapter adapter = lora.toAdapter("nothing-learned");
            assertEquals(4, adapter.factors().size());
        }
    }

    /** A cycle through the vocabulary, as TrainerTest's data. */
    private static int[] stream(int n) {
        int[] a = new int[n];
        int t = 1;
        for (int i = 0; i < n; i++) {
            t = (t * 5 + 7) % 48;
            a[i] = t;
        }
        return a;
    }

    @Test
    void targetsFollowTheirWindows() {
        int[] tokens = new int[100];
        boolean[] mask = new boolean[100];
        for (int i = 0; i < 100; i++) {
            tokens[i] = i;
            mask[i] = i % 3 == 0;
        }
        TokenWindows d = new TokenWindows(tokens, mask, new int[0], new boolean[0]);
        long[][] windows = d.trainingBatch(7, 2, 0, 5, 10);
        float[][] targets = d.trainingTargets(7, 2, 0, 5, 10);
        for (int r = 0; r < 5; r++) {
            for (int i = 0; i < 10; i++) {
                long next = windows[r][i + 1];
                assertEquals(next % 3 == 0 ? 1f : 0f, targets[r][i], "window " + r + " position " + i);
            }
        }
        assertNull(new TokenWindows(tokens, new int[0]).trainingTargets(7, 2, 0, 5, 10));
        assertThrows(IllegalArgumentException.class, () -> new TokenWindows(tokens, new boolean[3], new int[0], null));
    }
}

package org.openledger.studio.gpu.lora;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.safetensors.Tensor;

/** Random LoRA adapters for the tiny test models. */
public final class TinyAdapters {

    private TinyAdapters() {
    }

    /**
     * A random adapter; B is random too (a freshly initialised PEFT adapter has B = 0 and changes nothing), with
     * s·B·A about as large as W itself, a strong fine-tune.
     */
    public static Adapter random(String id, ModelConfig c, int r, double alpha, Set<Projection> targets,
                                        boolean rslora, long seed, boolean zeroB) {
        Random rnd = new Random(seed);
        Map<Adapter.Site, Adapter.Factors> f = new LinkedHashMap<>();
        for (int l = 0; l < c.numLayers(); l++) {
            for (Projection p : targets) {
                long[] w = p.weightShape(c);
                Tensor a = TinyModels.gaussian(rnd, 0.3, 0, r, w[1]);
                Tensor b = zeroB ? Tensor.of(new float[(int) (w[0] * r)], w[0], r)
                        : TinyModels.gaussian(rnd, 0.05, 0, w[0], r);
                f.put(new Adapter.Site(l, p), new Adapter.Factors(a, b));
            }
        }
        return new Adapter(id, new AdapterConfig(r, alpha, targets, rslora, null), f);
    }
}

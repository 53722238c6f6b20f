package org.openledger.studio.attribution.influence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.safetensors.Tensor;

/** A tiny Llama and LoRA adapters with random non-zero factors (B = 0 would make dL/dA vanish). */
final class TinyModels {

    static final ModelConfig TINY = ModelConfig.llama(32, 64, 2, 4, 2, 48, 64).withTiedEmbeddings(true);

    private TinyModels() {
    }

    static Adapter randomAdapter(ModelConfig c, int r, Set<Projection> targets, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        AdapterConfig ac = new AdapterConfig(r, 2.0 * r, targets, false, "tiny-base");
        Map<Adapter.Site, Adapter.Factors> f = new LinkedHashMap<>();
        for (int l = 0; l < c.numLayers(); l++) {
            for (Projection p : targets) {
                long[] s = p.weightShape(c);
                f.put(new Adapter.Site(l, p), new Adapter.Factors(random(rnd, r, s[1], 0.2),
                        random(rnd, s[0], r, 0.2)));
            }
        }
        return new Adapter("tiny-lora", ac, f);
    }

    private static Tensor random(SplittableRandom rnd, long rows, long cols, double scale) {
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return Tensor.of(v, rows, cols);
    }

    static long[] tokens(SplittableRandom rnd, int n, int vocab) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = rnd.nextInt(vocab);
        }
        return t;
    }
}

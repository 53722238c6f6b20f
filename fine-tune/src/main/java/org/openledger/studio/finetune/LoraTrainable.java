package org.openledger.studio.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.EngineArrays;
import org.openledger.studio.gpu.model.WeightDelta;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * LoRA factors being trained (Hu et al. 2021): for each targeted projection W of each layer, y = x·Wᵀ + s·x·Aᵀ·Bᵀ
 * with A [r, in] and B [out, r]. Initialised as PEFT does, A uniform in ±1/sqrt(in) (kaiming-uniform with
 * a = sqrt(5)) and B = 0, so training starts from exactly the base model. Only A and B receive gradients; the
 * base weights are never written. Parameters are named as PEFT names them, so checkpoints and the exported
 * adapter use the same names.
 */
public final class LoraTrainable implements Trainable, AutoCloseable {

    private final AdapterConfig config;
    private final NDManager manager;
    private final Map<Adapter.Site, NDArray[]> factors = new LinkedHashMap<>();
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    /** The scale as an engine-owned array kept for the trainable's life (a Number operand would dangle in backward). */
    private final NDArray scaleArray;
    private final float dropout;
    private volatile boolean training;

    public LoraTrainable(ModelConfig model, AdapterConfig config, long seed, NDManager manager) {
        this.config = config;
        this.manager = manager;
        this.scaleArray = EngineArrays.owned(manager, new float[] {(float) config.scale()}, new Shape());
        this.dropout = (float) config.loraDropout();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (Projection p : Projection.values()) {
                if (!config.targetModules().contains(p)) {
                    continue;
                }
                long[] shape = p.weightShape(model);
                int out = (int) shape[0];
                int in = (int) shape[1];
                float[] a = new float[config.r() * in];
                double bound = 1 / Math.sqrt(in);
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                }
                Adapter.Site site = new Adapter.Site(layer, p);
                NDArray[] f = {EngineArrays.owned(manager, a, new Shape(config.r(), in)),
                        manager.zeros(new Shape(out, config.r()))};
                factors.put(site, f);
                params.put(Adapter.name(site, "A"), f[0]);
                params.put(Adapter.name(site, "B"), f[1]);
            }
        }
    }

    @Override
    public Map<String, NDArray> parameters() {
        return params;
    }

    @Override
    public WeightDelta delta() {
        return (layer, projection, x) -> {
            NDArray[] f = factors.get(new Adapter.Site(layer, projection));
            if (f == null) {
                return null;
            }
            NDArray in = training && dropout > 0
                    ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow() : x;
            NDArray down = in.getNDArrayInternal().linear(in, f[0], null).singletonOrThrow();
            return down.getNDArrayInternal().linear(down, f[1], null).singletonOrThrow().mul(scaleArray);
        };
    }

    @Override
    public void training(boolean on) {
        training = on;
    }

    /** Host copies of the factors as a PEFT adapter, ready for {@link Adapter#save}. */
    public Adapter toAdapter(String id) {
        Map<Adapter.Site, Adapter.Factors> out = new LinkedHashMap<>();
        factors.forEach((site, f) -> out.put(site, new Adapter.Factors(host(f[0]), host(f[1]))));
        return new Adapter(id, config, out);
    }

    private static Tensor host(NDArray a) {
        return new Tensor(a.getShape().getShape(), a.toFloatArray());
    }

    @Override
    public void close() {
        manager.close();
    }
}

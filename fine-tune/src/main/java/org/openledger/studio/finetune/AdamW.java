package org.openledger.studio.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter 2019, algorithm 2), with bias-corrected moments:
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; p -= lr (m̂ / (sqrt(v̂) + eps) + wd p). Weight decay applies to
 * matrices only, not to norm gains or biases, as GPT-2-style trainers do. Moments live beside the parameters.
 */
public final class AdamW implements AutoCloseable {

    private final TrainingConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private int updates;

    public AdamW(TrainingConfig config, Map<String, NDArray> params, NDManager manager) {
        this.config = config;
        this.manager = manager;
        this.params = params;
        params.forEach((name, p) -> {
            m.put(name, manager.zeros(p.getShape()));
            v.put(name, manager.zeros(p.getShape()));
        });
    }

    public int updates() {
        return updates;
    }

    /** One update from the gradients the parameters hold; temporaries live in {@code scope}. */
    public void step(NDManager scope, double learningRate) {
        updates++;
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float c1 = (float) (1 - Math.pow(b1, updates));
        float c2 = (float) (1 - Math.pow(b2, updates));
        float lr = (float) learningRate;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = Scoped.grad(scope, p);
            NDArray mi = m.get(e.getKey());
            NDArray vi = v.get(e.getKey());
            mi.muli(b1).addi(Scoped.of(scope, g.mul(1 - b1)));
            vi.muli(b2).addi(Scoped.of(scope, Scoped.of(scope, g.square()).mul(1 - b2)));
            NDArray denom = Scoped.of(scope, Scoped.of(scope, Scoped.of(scope, vi.div(c2)).sqrt())
                    .add((float) config.epsilon()));
            NDArray update = Scoped.of(scope, Scoped.of(scope, mi.div(c1)).div(denom));
            if (p.getShape().dimension() >= 2 && config.weightDecay() > 0) {
                update.addi(Scoped.of(scope, p.mul((float) config.weightDecay())));
            }
            p.subi(update.muli(lr));
        }
    }

    /** Moments and the update count, for a checkpoint. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((n, a) -> out.put("m." + n, new Tensor(a.getShape().getShape(), a.toFloatArray())));
        v.forEach((n, a) -> out.put("v." + n, new Tensor(a.getShape().getShape(), a.toFloatArray())));
        return out;
    }

    public void restore(Map<String, Tensor> state, int updateCount) {
        for (String n : params.keySet()) {
            m.get(n).set(values(state, "m." + n));
            v.get(n).set(values(state, "v." + n));
        }
        updates = updateCount;
    }

    private static float[] values(Map<String, Tensor> state, String name) {
        Tensor t = state.get(name);
        if (t == null) {
            throw new IllegalStateException("the optimiser state has no tensor " + name);
        }
        return t.values();
    }

    @Override
    public void close() {
        m.values().forEach(NDArray::close);
        v.values().forEach(NDArray::close);
    }
}

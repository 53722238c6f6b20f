package org.openledger.studio.gpu.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.openledger.studio.gpu.model.EngineArrays;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;

/**
 * An adapter uploaded next to its base model's weights, ready to apply: per site Aᵀ [in, r] and s·Bᵀ [r, out],
 * so that the update of a projection is {@code x · Aᵀ · (s·Bᵀ)} without touching the base weights.
 */
public final class AdapterWeights implements AutoCloseable {

    /** Device factors of one site. */
    record Pair(NDArray down, NDArray up) {
    }

    private final Adapter adapter;
    private final NDManager manager;
    private final Map<Adapter.Site, Pair> pairs;

    private AdapterWeights(Adapter adapter, NDManager manager, Map<Adapter.Site, Pair> pairs) {
        this.adapter = adapter;
        this.manager = manager;
        this.pairs = pairs;
    }

    /**
     * Checks the adapter against the base model and uploads it to the base model's device.
     *
     * @param baseModelId the base model's id, compared with the adapter's base_model_name_or_path
     */
    public static AdapterWeights upload(Adapter adapter, String baseModelId, LlamaWeights base)
            throws AdapterMismatchException {
        adapter.checkFits(baseModelId, base.config());
        NDManager m = base.manager().newSubManager();
        float scale = (float) adapter.config().scale();
        Map<Adapter.Site, Pair> pairs = new HashMap<>();
        for (Map.Entry<Adapter.Site, Adapter.Factors> e : adapter.factors().entrySet()) {
            var a = e.getValue().a();
            var b = e.getValue().b();
            NDArray down = EngineArrays.owned(m, a.values(), new Shape(a.shape())).transpose();
            NDArray up = EngineArrays.owned(m, b.values(), new Shape(b.shape())).mul(scale).transpose();
            pairs.put(e.getKey(), new Pair(down, up));
        }
        return new AdapterWeights(adapter, m, pairs);
    }

    public Adapter adapter() {
        return adapter;
    }

    public String id() {
        return adapter.id();
    }

    Pair pair(int layer, Projection p) {
        return pairs.get(new Adapter.Site(layer, p));
    }

    /**
     * Base weights with this adapter merged in, W' = W + s·B·A, for serving one adapter at base-model speed.
     * Only the targeted projections are copied; the rest is shared with {@code base}. Close the result to free
     * the copies.
     */
    public LlamaWeights mergeInto(LlamaWeights base) {
        NDManager merged = base.manager().newSubManager();
        ModelConfig c = base.config();
        List<Map<Projection, NDArray>> replaced = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            Map<Projection, NDArray> layer = new EnumMap<>(Projection.class);
            for (Projection p : Projection.values()) {
                Pair pair = pair(l, p);
                if (pair != null) {
                    NDArray w = base.layers().get(l).weight().get(p);
                    NDArray delta = pair.down().matMul(pair.up()); // [in, out]
                    NDArray deltaT = delta.transpose();
                    NDArray sum = w.add(deltaT);
                    sum.attach(merged);
                    deltaT.close();
                    delta.close();
                    layer.put(p, sum);
                }
            }
            replaced.add(layer);
        }
        return base.withProjections(replaced, merged);
    }

    @Override
    public void close() {
        manager.close();
    }
}

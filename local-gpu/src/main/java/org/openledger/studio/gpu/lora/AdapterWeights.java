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
    private volatile boolean closed;
    private static final java.util.concurrent.atomic.AtomicLong UPLOADS = new java.util.concurrent.atomic.AtomicLong();
    private final long serial = UPLOADS.incrementAndGet();

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

    /**
     * As {@link #upload}, in one copy to the device: every factor (B already scaled) laid end to end in one host
     * buffer, created as one array, then split into views (PyTorch's split and transpose copy nothing). One
     * transfer per adapter instead of two per site; {@code studio bench adapters} measures both.
     */
    public static AdapterWeights uploadFlat(Adapter adapter, org.openledger.studio.gpu.BaseModel base)
            throws AdapterMismatchException {
        LlamaWeights weights = base.transformer().weights();
        adapter.checkFits(base.id(), weights.config());
        float scale = (float) adapter.config().scale();
        List<Map.Entry<Adapter.Site, Adapter.Factors>> sites = new ArrayList<>(adapter.factors().entrySet());
        long total = 0;
        for (Map.Entry<Adapter.Site, Adapter.Factors> e : sites) {
            total += e.getValue().a().values().length + (long) e.getValue().b().values().length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            return upload(adapter, base.id(), weights); // beyond one Java array: per site
        }
        float[] flat = new float[(int) total];
        long[] cuts = new long[2 * sites.size() - 1];
        int at = 0;
        int k = 0;
        for (Map.Entry<Adapter.Site, Adapter.Factors> e : sites) {
            float[] a = e.getValue().a().values();
            System.arraycopy(a, 0, flat, at, a.length);
            at += a.length;
            if (k < cuts.length) {
                cuts[k++] = at;
            }
            float[] b = e.getValue().b().values();
            for (int i = 0; i < b.length; i++) {
                flat[at + i] = b[i] * scale;
            }
            at += b.length;
            if (k < cuts.length) {
                cuts[k++] = at;
            }
        }
        NDManager m = weights.manager().newSubManager();
        try {
            NDArray all = EngineArrays.owned(m, flat, new Shape(flat.length));
            ai.djl.ndarray.NDList parts = all.split(cuts, 0);
            Map<Adapter.Site, Pair> pairs = new HashMap<>();
            for (int i = 0; i < sites.size(); i++) {
                Adapter.Factors f = sites.get(i).getValue();
                NDArray down = parts.get(2 * i).reshape(new Shape(f.a().shape())).transpose();
                NDArray up = parts.get(2 * i + 1).reshape(new Shape(f.b().shape())).transpose();
                pairs.put(sites.get(i).getKey(), new Pair(down, up));
            }
            return new AdapterWeights(adapter, m, pairs);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
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

    /** Uploads in the order they were made in this process: of two uploads under one id, the later is newer. */
    public long serial() {
        return serial;
    }

    /** Whether {@link #close} ran (the store unloaded this upload: evicted, replaced or deleted). */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        manager.close();
    }
}

package org.openledger.studio.attribution.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.model.EngineArrays;
import org.openledger.studio.gpu.model.Gradients;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.model.WeightDelta;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * Per-example gradients of a LoRA adapter's parameters, many examples in one forward and one backward pass.
 *
 * <p>The loss of example r is the mean cross-entropy over its target tokens, L_r = -(1/c_r) Σ_t log p(x_{t+1}).
 * For a projection with LoRA factors A [r, in] and B [out, r] and scale s, y_t = W x_t + s·B·A·x_t, so with
 * g_t = ∂L_r/∂y_t (the gradient at the projection's output) and u_t = A·x_t:
 * <pre>
 *   ∂L_r/∂B = s · Σ_t g_t u_tᵀ            ∂L_r/∂A = s · Σ_t (Bᵀ g_t) x_tᵀ
 * </pre>
 * The sums run over example r's positions only. So one backward pass of Σ_r L_r suffices: rows of a batch never
 * see each other (attention is per row), hence the gradient at row r's outputs is row r's own g_t. The pass gets
 * those g_t by adding a zero "probe" tensor to every LoRA output and asking autograd for the probe's gradient; the
 * two sums are then a batched matrix product each. This is the trick of per-example gradients through
 * activations and output gradients (as LoGra factors them), without copying A and B per row.
 *
 * <p>Gradients are laid out flat, site by site in (layer, projection) order, A (row-major [r, in]) then B
 * ([out, r]) for each.
 */
public final class ExampleGradients implements AutoCloseable {

    private final Transformer model;
    private final NDManager manager;
    private final List<Adapter.Site> sites;
    private final Map<Adapter.Site, NDArray[]> factors = new HashMap<>();
    private final NDArray scale;
    private final int parameters;

    public ExampleGradients(Transformer model, Adapter adapter, NDManager parent) {
        this.model = model;
        this.manager = parent.newSubManager();
        this.sites = new ArrayList<>(adapter.factors().keySet());
        sites.sort(Comparator.comparingInt(Adapter.Site::layer).thenComparing(Adapter.Site::projection));
        this.scale = EngineArrays.owned(manager, new float[] {(float) adapter.config().scale()}, new Shape());
        long p = 0;
        for (Adapter.Site site : sites) {
            Adapter.Factors f = adapter.factors().get(site);
            factors.put(site, new NDArray[] {owned(f.a()), owned(f.b())});
            p += f.a().values().length + (long) f.b().values().length;
        }
        if (p > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the adapter has " + p + " parameters, too many to attribute");
        }
        this.parameters = (int) p;
    }

    private NDArray owned(Tensor t) {
        return EngineArrays.owned(manager, t.values(), new Shape(t.shape()));
    }

    /** How many LoRA parameters each gradient has. */
    public int parameters() {
        return parameters;
    }

    /** The sites in the order their parameters appear in a gradient. */
    public List<Adapter.Site> sites() {
        return List.copyOf(sites);
    }

    /** The gradients of {@code batch} as host arrays, one of {@link #parameters()} values per example. */
    public float[][] compute(List<Example> batch) {
        try (NDManager scope = manager.newSubManager()) {
            float[] flat = gradients(scope, batch).toFloatArray();
            float[][] out = new float[batch.size()][parameters];
            for (int r = 0; r < out.length; r++) {
                System.arraycopy(flat, r * parameters, out[r], 0, parameters);
            }
            return out;
        }
    }

    /**
     * The gradients of {@code batch} as one [examples, parameters] array living in {@code scope}. An example
     * without targets gets a zero gradient.
     */
    public NDArray gradients(NDManager scope, List<Example> batch) {
        int rows = batch.size();
        if (rows == 0) {
            throw new IllegalArgumentException("no examples");
        }
        int width = 1;
        for (Example e : batch) {
            if (e.length() > model.config().maxPositionEmbeddings()) {
                throw new IllegalArgumentException("an example of " + e.length() + " tokens is longer than the"
                        + " model's context of " + model.config().maxPositionEmbeddings());
            }
            width = Math.max(width, e.length() - 1);
        }
        long[][] inputs = new long[rows][width];
        int[] lengths = new int[rows];
        long[] next = new long[rows * width];
        float[] weights = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            Example e = batch.get(r);
            int n = Math.max(0, e.length() - 1);
            lengths[r] = Math.max(1, n);
            int count = e.targetCount();
            for (int t = 0; t < n; t++) {
                inputs[r][t] = e.tokens()[t];
                next[r * width + t] = e.tokens()[t + 1];
                weights[r * width + t] = e.targets()[t + 1] ? 1f / count : 0f;
            }
        }
        Probes probes = new Probes(scope);
        try (Gradients gc = Gradients.collect();
             KvCache cache = new KvCache(scope, model.config().numLayers(), rows, width)) {
            NDArray logits = inScope(scope, model.forward(scope, inputs, lengths, cache, probes, true));
            NDArray logp = inScope(scope, logits.logSoftmax(-1))
                    .reshape(rows * (long) width, model.config().vocabSize());
            NDArray picked = inScope(scope, logp.gather(EngineArrays.owned(scope, next,
                    new Shape(rows * (long) width, 1)), 1)).reshape(rows * (long) width);
            NDArray loss = inScope(scope, inScope(scope, picked.mul(EngineArrays.owned(scope, weights,
                    new Shape(rows * (long) width)))).sum()).neg();
            gc.backward(loss);
        }
        NDList parts = new NDList();
        for (Adapter.Site site : sites) {
            NDArray[] f = factors.get(site);
            Probes.Seen seen = probes.seen.get(site);
            NDArray g = inScope(scope, seen.probe.getGradient()); // [rows, width, out]
            NDArray dA = g.matMul(f[1]).transpose(0, 2, 1).matMul(seen.input).mul(scale);   // [rows, r, in]
            NDArray dB = g.transpose(0, 2, 1).matMul(seen.down).mul(scale);                 // [rows, out, r]
            parts.add(dA.reshape(rows, -1));
            parts.add(dB.reshape(rows, -1));
        }
        return inScope(scope, NDArrays.concat(parts, 1));
    }

    /** The LoRA path with a zero probe added to each output, remembering what the gradients need. */
    private final class Probes implements WeightDelta {
        record Seen(NDArray input, NDArray down, NDArray probe) {
        }

        private final NDManager scope;
        private final Map<Adapter.Site, Seen> seen = new HashMap<>();

        Probes(NDManager scope) {
            this.scope = scope;
        }

        @Override
        public NDArray apply(int layer, Projection projection, NDArray x) {
            Adapter.Site site = new Adapter.Site(layer, projection);
            NDArray[] f = factors.get(site);
            if (f == null) {
                return null;
            }
            NDArray down = inScope(scope, x.getNDArrayInternal().linear(x, f[0], null).singletonOrThrow());
            NDArray up = inScope(scope, down.getNDArrayInternal().linear(down, f[1], null).singletonOrThrow());
            Shape s = up.getShape();
            NDArray probe = scope.zeros(s);
            probe.setRequiresGradient(true);
            seen.put(site, new Seen(x.stopGradient(), down.stopGradient(), probe));
            return inScope(scope, inScope(scope, up.mul(scale)).add(probe));
        }
    }

    private static NDArray inScope(NDManager scope, NDArray a) {
        if (a.getManager() != scope) {
            a.attach(scope);
        }
        return a;
    }

    @Override
    public void close() {
        manager.close();
    }
}

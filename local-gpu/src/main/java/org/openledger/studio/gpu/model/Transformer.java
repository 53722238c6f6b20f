package org.openledger.studio.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The Llama decoder forward pass, read top to bottom: embed, then per block RMSNorm -> attention with RoPE and
 * grouped-query heads -> residual -> RMSNorm -> SwiGLU MLP -> residual, then a final RMSNorm and the LM head.
 * It follows Hugging Face's modeling_llama (rotate_half RoPE, repeat_kv grouping) so that checkpoints trained
 * there give the same logits here.
 *
 * <p>A step feeds {@code tokens[row]} to every row, right-padded to one width; {@code lengths[row]} says how many
 * are real. Padding slots never serve as keys, so rows of different lengths give exactly what each gives alone.
 *
 * <p>Every call into the engine costs tens of microseconds, which dominates decoding small models, so the pass
 * keeps calls few: fused linear layers, q/k/v and gate/up each as one matmul over stacked weights (decision 28),
 * rotate_half as one matmul, one mask per step (none when every query sees every key), the 1/sqrt(d) scale folded
 * into the query's rotation, grouped attention computed per kv head instead of repeating keys and values, and no
 * transposes when a row holds one token.
 */
public final class Transformer {

    /** Masked scores; finite so that a fully masked padding query gives no NaN. exp(-1e9) is exactly 0. */
    private static final float MASKED = -1e9f;

    private final LlamaWeights weights;
    private final ModelConfig c;
    private final float[] inverseFrequency;
    /** rotate_half as a matrix: x · R = [-x2, x1]. */
    private final NDArray rotateHalf;

    public Transformer(LlamaWeights weights) {
        this.weights = weights;
        this.c = weights.config();
        int hd = c.headDim();
        int half = hd / 2;
        inverseFrequency = new float[half];
        double[] frequencies = c.inverseFrequencies(); // rope_scaling applied; float32 as HF keeps them
        for (int i = 0; i < half; i++) {
            inverseFrequency[i] = (float) frequencies[i];
        }
        float[] r = new float[hd * hd];
        for (int i = 0; i < half; i++) {
            r[(i + half) * hd + i] = -1f; // out[i] = -x[i + half]
            r[i * hd + i + half] = 1f;    // out[i + half] = x[i]
        }
        rotateHalf = EngineArrays.owned(weights.manager(), r, new Shape(hd, hd));
    }

    public LlamaWeights weights() {
        return weights;
    }

    public ModelConfig config() {
        return c;
    }

    /**
     * Runs one step and returns logits: [rows, width, vocab] when {@code everyPosition}, else [rows, vocab] for
     * each row's last real token. Temporaries live in {@code scope}; the cache keeps what it needs.
     */
    public NDArray forward(NDManager scope, long[][] tokens, int[] lengths, KvCache cache, WeightDelta delta,
                           boolean everyPosition) {
        int rows = tokens.length;
        int width = tokens[0].length;
        if (cache.rows() != rows) {
            throw new IllegalArgumentException("cache holds " + cache.rows() + " rows, step has " + rows);
        }
        int past = cache.slots();
        int total = past + width;
        int hd = c.headDim();
        int half = hd / 2;
        float scale = (float) (1 / Math.sqrt(hd));

        long[] flat = new long[rows * width];
        float[] cos = new float[rows * width * hd];
        float[] sin = new float[cos.length];
        // the mask is built on the device from its two causes, [width, total] and [rows, total], rather than as a
        // rows*width*total host array: a causal part and which slots hold real tokens
        float[] causal = new float[width * total];
        float[] keys = new float[rows * total];
        for (int t = 0; t < width; t++) {
            for (int j = past + t + 1; j < total; j++) {
                causal[t * total + j] = MASKED;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < total; j++) {
                boolean real = j < past ? cache.isReal(r, j) : j - past < lengths[r];
                keys[r * total + j] = real ? 0f : MASKED;
            }
        }
        for (int r = 0; r < rows; r++) {
            if (tokens[r].length != width || lengths[r] < 0 || lengths[r] > width) {
                throw new IllegalArgumentException("row " + r + " is not padded to width " + width);
            }
            for (int t = 0; t < width; t++) {
                long id = tokens[r][t];
                if (t < lengths[r] && (id < 0 || id >= c.vocabSize())) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of "
                            + c.vocabSize());
                }
                flat[r * width + t] = t < lengths[r] ? id : 0;
                int pos = t < lengths[r] ? cache.position(r) + t : 0;
                int base = (r * width + t) * hd;
                for (int i = 0; i < half; i++) {
                    float angle = pos * inverseFrequency[i];
                    float cs = (float) Math.cos(angle);
                    float sn = (float) Math.sin(angle);
                    cos[base + i] = cs;
                    cos[base + i + half] = cs;
                    sin[base + i] = sn;
                    sin[base + i + half] = sn;
                }
            }
        }
        float[] qCos = cos.clone();
        float[] qSin = sin.clone();
        for (int i = 0; i < qCos.length; i++) {
            qCos[i] *= scale;
            qSin[i] *= scale;
        }
        Shape rope = new Shape(rows, 1, width, hd);
        // per-step arrays stay in scope (alive until after any backward pass), so wrapping host buffers is safe here
        Step step = new Step(scope, scope.create(cos, rope), scope.create(sin, rope), scope.create(qCos, rope),
                scope.create(qSin, rope), scope.create(causal, new Shape(1, 1, 1, width, total))
                        .add(scope.create(keys, new Shape(rows, 1, 1, 1, total))), (sc, l, k, v) -> {
                            NDArray[] kv = cache.append(sc, l, k, v);
                            return new NDArray[] {inScope(sc, kv[0].transpose(0, 1, 3, 2)), kv[1]};
                        }, delta);
        NDArray out = layers(step, flat, rows, width);
        cache.advance(width, lengths);
        if (!everyPosition) {
            long[] last = new long[rows];
            for (int r = 0; r < rows; r++) {
                last[r] = (long) r * width + Math.max(lengths[r] - 1, 0);
            }
            out = out.reshape(rows * width, c.hiddenSize()).get(new NDIndex("{}", scope.create(last)));
        }
        return out.getNDArrayInternal().linear(out, weights.lmHead(), null).singletonOrThrow();
    }

    /**
     * One serving step over the rows of a {@link PagedKvCache}: row r feeds {@code lengths[r]} real tokens of
     * {@code tokens[r]} (right-padded to one width; 0 for a row that waits this step), which take positions
     * {@code rows.get(r).length()} onwards. Each row attends to its own tokens only, so rows that joined at
     * different steps, with different lengths, give what each gives alone. Returns the logits of the flat
     * positions {@code r * width + t} listed in {@code logitsAt}, [logitsAt.length, vocab], or null when none is
     * asked for (no LM head is run: a prefill chunk that does not end its prompt needs none).
     */
    public NDArray forward(NDManager scope, long[][] tokens, int[] lengths, java.util.List<PagedKvCache.Row> rows,
                           PagedKvCache cache, WeightDelta delta, long[] logitsAt) {
        int n = tokens.length;
        int width = tokens[0].length;
        if (rows.size() != n || lengths.length != n) {
            throw new IllegalArgumentException(rows.size() + " cache rows and " + lengths.length
                    + " lengths for a step of " + n + " rows");
        }
        int hd = c.headDim();
        int keysLength = 1;
        int written = 0;
        for (int r = 0; r < n; r++) {
            if (tokens[r].length != width || lengths[r] < 0 || lengths[r] > width) {
                throw new IllegalArgumentException("row " + r + " is not padded to width " + width);
            }
            keysLength = Math.max(keysLength, rows.get(r).length() + lengths[r]);
            written += lengths[r];
        }
        long[] flat = new long[n * width];
        int[] positions = new int[n * width];
        // a query at position p of row r sees the row's keys 0..p; padding queries see the row's real keys
        float[] limit = new float[n * width];
        long[] gather = new long[n * keysLength];
        long[] from = new long[written];
        long[] slots = new long[written];
        int w = 0;
        for (int r = 0; r < n; r++) {
            PagedKvCache.Row row = rows.get(r);
            int past = row.length();
            int end = past + lengths[r];
            if (end > row.capacity()) {
                throw new IllegalArgumentException("row " + r + " reserved " + row.capacity() + " tokens, the step"
                        + " takes it to " + end);
            }
            for (int t = 0; t < width; t++) {
                int at = r * width + t;
                if (t < lengths[r]) {
                    long id = tokens[r][t];
                    if (id < 0 || id >= c.vocabSize()) {
                        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of "
                                + c.vocabSize());
                    }
                    flat[at] = id;
                    positions[at] = past + t;
                    limit[at] = past + t;
                    from[w] = at;
                    slots[w++] = row.slot(past + t);
                } else {
                    limit[at] = end - 1;
                }
            }
            for (int j = 0; j < end; j++) {
                gather[r * keysLength + j] = row.slot(j);
            }
        }
        float[][] tables = ropeTables(positions, n, width);
        Shape rope = new Shape(n, 1, width, hd);
        float[] keyPositions = new float[keysLength];
        for (int j = 0; j < keysLength; j++) {
            keyPositions[j] = j;
        }
        boolean seesAll = true; // every query sees every key (e.g. rows decoding at one length): no mask at all
        for (float f : limit) {
            seesAll &= f >= keysLength - 1;
        }
        NDArray mask = seesAll ? null : scope.create(keyPositions, new Shape(1, 1, 1, 1, keysLength))
                .gt(scope.create(limit, new Shape(n, 1, 1, width, 1))).toType(ai.djl.ndarray.types.DataType.FLOAT32,
                        false).mul(MASKED);
        // one real token in every row (decoding): the step's keys are the tokens to write, in order
        boolean everyRowOne = width == 1 && written == n;
        NDArray fromIndex = everyRowOne ? null : scope.create(from);
        NDArray slotIndex = scope.create(slots);
        NDArray gatherIndex = scope.create(gather, new Shape(n, keysLength));
        int kvHeads = c.numKvHeads();
        KeyValues paged = (sc, l, k, v) -> {
            if (everyRowOne) {
                cache.write(l, slotIndex, k.reshape(n, kvHeads, hd), v.reshape(n, kvHeads, hd));
            } else if (slotIndex.size() > 0) {
                // [rows, kvHeads, width, hd] -> the real tokens' [tokens, kvHeads, hd]
                NDArray kReal = k.transpose(0, 2, 1, 3).reshape((long) n * width, kvHeads, hd)
                        .get(new NDIndex("{}", fromIndex));
                NDArray vReal = v.transpose(0, 2, 1, 3).reshape((long) n * width, kvHeads, hd)
                        .get(new NDIndex("{}", fromIndex));
                cache.write(l, slotIndex, kReal, vReal);
            }
            NDArray[] kv = cache.read(sc, l, gatherIndex); // [rows, keys, kvHeads, hd]
            return new NDArray[] {kv[0].transpose(0, 2, 3, 1), kv[1].transpose(0, 2, 1, 3)};
        };
        Step step = new Step(scope, scope.create(tables[0], rope), scope.create(tables[1], rope),
                scope.create(tables[2], rope), scope.create(tables[3], rope), mask, paged, delta);
        NDArray out = layers(step, flat, n, width);
        for (int r = 0; r < n; r++) {
            rows.get(r).advance(lengths[r]);
        }
        if (logitsAt.length == 0) {
            return null;
        }
        NDArray picked = out.reshape((long) n * width, c.hiddenSize()).get(new NDIndex("{}", scope.create(logitsAt)));
        return picked.getNDArrayInternal().linear(picked, weights.lmHead(), null).singletonOrThrow();
    }

    /** cos, sin, and both scaled by 1/sqrt(hd) for the query, per flat position: [rows * width * hd] each. */
    private float[][] ropeTables(int[] positions, int rows, int width) {
        int hd = c.headDim();
        int half = hd / 2;
        float scale = (float) (1 / Math.sqrt(hd));
        float[] cos = new float[rows * width * hd];
        float[] sin = new float[cos.length];
        float[] qCos = new float[cos.length];
        float[] qSin = new float[cos.length];
        for (int at = 0; at < positions.length; at++) {
            int base = at * hd;
            for (int i = 0; i < half; i++) {
                float angle = positions[at] * inverseFrequency[i];
                float cs = (float) Math.cos(angle);
                float sn = (float) Math.sin(angle);
                cos[base + i] = cs;
                cos[base + i + half] = cs;
                sin[base + i] = sn;
                sin[base + i + half] = sn;
                qCos[base + i] = cs * scale;
                qCos[base + i + half] = cs * scale;
                qSin[base + i] = sn * scale;
                qSin[base + i + half] = sn * scale;
            }
        }
        return new float[][] {cos, sin, qCos, qSin};
    }

    /** What every layer of one step shares. */
    private record Step(NDManager scope, NDArray cos, NDArray sin, NDArray qCos, NDArray qSin, NDArray mask,
                        KeyValues cache, WeightDelta delta) {
    }

    /**
     * Where a layer's keys and values go and come from: stores the step's k and v ([rows, kvHeads, width, hd])
     * and returns every key the step may attend to, transposed ([rows, kvHeads, hd, slots]), and the values
     * ([rows, kvHeads, slots, hd]).
     */
    private interface KeyValues {
        NDArray[] store(NDManager scope, int layer, NDArray k, NDArray v);
    }

    /** Embedding, every decoder block, and the final norm: [rows, width, hidden]. */
    private NDArray layers(Step step, long[] flat, int rows, int width) {
        NDManager scope = step.scope();
        NDArray x = inScope(scope, weights.embed().get(new NDIndex("{}", scope.create(flat, new Shape(rows, width)))));
        for (int l = 0; l < c.numLayers(); l++) {
            LlamaWeights.Layer layer = weights.layers().get(l);
            x = x.add(attention(step, l, layer, rmsNorm(x, layer.inputNorm())));
            NDArray h = rmsNorm(x, layer.postNorm());
            NDArray[] gateUp = projectStacked(step, l, layer, LlamaWeights.GATE_UP, layer.gateUp(), null, h, null);
            NDArray gate = gateUp[0];
            x = x.add(project(step, l, layer, Projection.DOWN, gate.mul(Activation.sigmoid(gate)).mul(gateUp[1])));
        }
        return rmsNorm(x, weights.finalNorm());
    }

    private NDArray attention(Step s, int l, LlamaWeights.Layer layer, NDArray h) {
        long rows = h.getShape().get(0);
        long width = h.getShape().get(1);
        int hd = c.headDim();
        int groups = c.numKvHeads();
        int rep = c.numHeads() / groups;
        NDArray[] qkv = projectStacked(s, l, layer, LlamaWeights.QKV, layer.qkv(), layer.qkvBias(), h,
                new long[] {c.numHeads(), groups, groups});
        // the query carries the 1/sqrt(d) of the scores in its rotation
        NDArray q = rope(qkv[0], s.qCos(), s.qSin());
        NDArray k = rope(qkv[1], s.cos(), s.sin());
        NDArray v = qkv[2];
        NDArray[] kv = s.cache().store(s.scope(), l, k, v);
        NDArray kT = kv[0];
        long slots = kT.getShape().get(3);
        // repeat_kv without the copies: query heads g*rep .. g*rep+rep-1 all read kv head g, so group the queries
        NDArray scores = q.reshape(rows, groups, rep * width, hd).matMul(kT)
                .reshape(rows, groups, rep, width, slots);
        if (s.mask() != null) {
            scores = scores.add(s.mask());
        }
        NDArray context = scores.softmax(-1).reshape(rows, groups, rep * width, slots).matMul(kv[1]);
        NDArray merged = width == 1 ? context.reshape(rows, 1, (long) c.numHeads() * hd)
                : context.reshape(rows, c.numHeads(), width, hd).transpose(0, 2, 1, 3)
                        .reshape(rows, width, (long) c.numHeads() * hd);
        return project(s, l, layer, Projection.O, merged);
    }

    /** [rows, width, heads*hd] -> [rows, heads, width, hd] */
    private NDArray heads(NDArray x, int heads) {
        Shape s = x.getShape();
        if (s.get(1) == 1) { // one token a row (decoding): the same layout without a transpose
            return x.reshape(s.get(0), heads, 1, c.headDim());
        }
        return x.reshape(s.get(0), s.get(1), heads, c.headDim()).transpose(0, 2, 1, 3);
    }

    /** HF RoPE: x*cos + rotate_half(x)*sin. */
    private NDArray rope(NDArray x, NDArray cos, NDArray sin) {
        return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        // no pow(Number): DJL wraps a Number in a temporary array it frees at once, while autograd keeps that
        // array for the backward pass (which then reads freed memory); sqrt and div keep only engine-owned arrays
        return x.div(variance.add((float) c.rmsNormEps()).sqrt()).mul(weight);
    }

    private static NDArray inScope(NDManager scope, NDArray a) {
        if (a.getManager() != scope) {
            a.attach(scope);
        }
        return a;
    }

    /**
     * The projections of {@code group}, which all read {@code x}, as one matmul with their stacked weights, split
     * into each one's output, plus the delta's term for the group ({@link WeightDelta#applyGroup}: adapters target
     * q, k, v, gate and up separately, zeros where they do not). With {@code heads} (heads per part) the parts
     * come as [rows, heads, width, hd], that layout made once for the whole stack and split there. While the projections' own weights
     * take gradients (full training), they are applied one by one instead, so that the gradients reach them.
     */
    private NDArray[] projectStacked(Step s, int l, LlamaWeights.Layer layer, java.util.List<Projection> group,
                                     NDArray stacked, NDArray stackedBias, NDArray x, long[] heads) {
        NDArray[] out = new NDArray[group.size()];
        if (group.stream().anyMatch(p -> layer.weight().get(p).hasGradient())) {
            for (int i = 0; i < out.length; i++) {
                NDArray y = project(s, l, layer, group.get(i), x);
                out[i] = heads == null ? y : heads(y, (int) heads[i]);
            }
            return out;
        }
        long[] outs = new long[group.size()];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = group.get(i).weightShape(c)[0];
        }
        NDArray extra = s.delta().applyGroup(l, group, outs, x);
        NDArray y = x.getNDArrayInternal().linear(x, stacked, stackedBias).singletonOrThrow();
        if (extra != null) {
            y = y.add(extra);
        }
        long[] cuts = new long[group.size() - 1];
        long at = 0;
        for (int i = 0; i < cuts.length; i++) {
            at += heads != null ? heads[i] : outs[i];
            cuts[i] = at;
        }
        ai.djl.ndarray.NDList parts = heads != null
                ? heads(y, (int) java.util.Arrays.stream(heads).sum()).split(cuts, 1)
                : y.split(cuts, x.getShape().dimension() - 1);
        for (int i = 0; i < out.length; i++) {
            out[i] = parts.get(i);
        }
        return out;
    }

    /** x · Wᵀ + b (torch's linear, as nn.Linear computes it), plus the delta's term. */
    private static NDArray project(Step s, int l, LlamaWeights.Layer layer, Projection p, NDArray x) {
        NDArray y = x.getNDArrayInternal().linear(x, layer.weight().get(p), layer.bias().get(p)).singletonOrThrow();
        NDArray extra = s.delta().apply(l, p, x);
        return extra == null ? y : y.add(extra);
    }
}

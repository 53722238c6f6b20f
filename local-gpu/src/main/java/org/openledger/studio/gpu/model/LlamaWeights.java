package org.openledger.studio.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.gpu.safetensors.Checkpoint;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * A model's weights on a device, in Hugging Face's shapes ([out, in] for projections, [vocab, hidden] for the
 * head, which is the embedding itself when tied). The same arrays serve inference and training: give them
 * gradients ({@link #parameters()}) and the forward pass trains them. Every array belongs to {@link #manager()}.
 *
 * <p>The projections that read the same input are stored as one matrix each: q, k and v stacked as
 * [q + 2 kv, hidden], gate and up as [2 intermediate, hidden], so that inference runs one matmul where there
 * were three and two (decision 28). The per-projection arrays of {@link Layer#weight()} are views of those rows,
 * not copies: an in-place change to either is seen by both, and the weights take no more memory than before.
 * (A view that is given new storage, e.g. by {@code NDArray.set(Buffer)}, leaves the stack; write into views
 * in place, {@code view.set(new NDIndex("..."), values)}.)
 */
public final class LlamaWeights implements AutoCloseable {

    /**
     * One decoder block. {@code qkv} holds the q, k and v weights stacked ([q + 2 kv, hidden]), {@code qkvBias}
     * their biases (null when the model has none), {@code gateUp} the gate and up weights ([2 intermediate,
     * hidden]); {@code weight} and {@code bias} give every projection by name, those five as views of the stacks.
     */
    public record Layer(NDArray inputNorm, NDArray postNorm, Map<Projection, NDArray> weight,
                        Map<Projection, NDArray> bias, NDArray qkv, NDArray qkvBias, NDArray gateUp) {
    }

    /** The projections stored stacked in one matrix, in stacking order. */
    static final List<Projection> QKV = List.of(Projection.Q, Projection.K, Projection.V);
    static final List<Projection> GATE_UP = List.of(Projection.GATE, Projection.UP);

    /** Reads a tensor by its Hugging Face name; the checkpoint, or a map in tests. */
    public interface Source {
        Tensor read(String name) throws IOException;

        boolean contains(String name);
    }

    private final ModelConfig config;
    private final NDManager manager;
    private final NDArray embed;
    private final List<Layer> layers;
    private final NDArray finalNorm;
    private final NDArray lmHead;

    private LlamaWeights(ModelConfig config, NDManager manager, NDArray embed, List<Layer> layers,
                         NDArray finalNorm, NDArray lmHead) {
        this.config = config;
        this.manager = manager;
        this.embed = embed;
        this.layers = layers;
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
    }

    public static Source sourceOf(Checkpoint checkpoint) {
        return new Source() {
            @Override
            public Tensor read(String name) throws IOException {
                return checkpoint.read(name);
            }

            @Override
            public boolean contains(String name) {
                return checkpoint.contains(name);
            }
        };
    }

    public static Source sourceOf(Map<String, Tensor> tensors) {
        return new Source() {
            @Override
            public Tensor read(String name) throws IOException {
                Tensor t = tensors.get(name);
                if (t == null) {
                    throw new InvalidModelException("the weights have no tensor '" + name + "'");
                }
                return t;
            }

            @Override
            public boolean contains(String name) {
                return tensors.containsKey(name);
            }
        };
    }

    /** Loads and checks every tensor the config calls for; the manager then owns them. */
    public static LlamaWeights load(ModelConfig c, Source source, NDManager manager) throws IOException {
        long d = c.hiddenSize();
        NDArray embed = upload(manager, source, "model.embed_tokens.weight", c.vocabSize(), d);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            Map<Projection, NDArray> w = new EnumMap<>(Projection.class);
            Map<Projection, NDArray> b = new EnumMap<>(Projection.class);
            for (Projection proj : List.of(Projection.O, Projection.DOWN)) {
                w.put(proj, upload(manager, source, proj.path(i) + ".weight", proj.weightShape(c)));
                if (proj.hasBias(c)) {
                    b.put(proj, upload(manager, source, proj.path(i) + ".bias", proj.weightShape(c)[0]));
                }
            }
            NDArray qkv = stack(manager, source, c, i, QKV, ".weight", w);
            NDArray qkvBias = c.qkvBias() ? stack(manager, source, c, i, QKV, ".bias", b) : null;
            NDArray gateUp = stack(manager, source, c, i, GATE_UP, ".weight", w);
            layers.add(new Layer(upload(manager, source, p + "input_layernorm.weight", d),
                    upload(manager, source, p + "post_attention_layernorm.weight", d), w, b, qkv, qkvBias, gateUp));
        }
        NDArray norm = upload(manager, source, "model.norm.weight", d);
        NDArray head;
        if (c.tieWordEmbeddings()) {
            head = embed;
        } else {
            head = upload(manager, source, "lm_head.weight", c.vocabSize(), d);
        }
        return new LlamaWeights(c, manager, embed, List.copyOf(layers), norm, head);
    }

    private static NDArray upload(NDManager m, Source source, String name, long... shape) throws IOException {
        return EngineArrays.owned(m, read(source, name, shape).values(), new Shape(shape));
    }

    private static Tensor read(Source source, String name, long... shape) throws IOException {
        if (!source.contains(name)) {
            throw new InvalidModelException("the checkpoint has no tensor '" + name + "' that config.json calls for");
        }
        Tensor t = source.read(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new InvalidModelException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but config.json implies " + Arrays.toString(shape));
        }
        return t;
    }

    /**
     * Uploads the weights (or biases) of {@code group} of layer {@code layer} as one stacked array, one upload,
     * and puts a view of each projection's rows in {@code views}.
     */
    private static NDArray stack(NDManager m, Source source, ModelConfig c, int layer, List<Projection> group,
                                 String suffix, Map<Projection, NDArray> views) throws IOException {
        long columns = suffix.equals(".bias") ? 1 : group.get(0).weightShape(c)[1];
        long rows = 0;
        for (Projection p : group) {
            rows += p.weightShape(c)[0];
        }
        float[] values = new float[Math.toIntExact(rows * columns)];
        int at = 0;
        for (Projection p : group) {
            long[] shape = p.weightShape(c);
            float[] part = read(source, p.path(layer) + suffix, suffix.equals(".bias") ? new long[] {shape[0]}
                    : shape).values();
            System.arraycopy(part, 0, values, at, part.length);
            at += part.length;
        }
        NDArray stacked = EngineArrays.owned(m, values, suffix.equals(".bias") ? new Shape(rows)
                : new Shape(rows, columns));
        putViews(stacked, c, group, views);
        return stacked;
    }

    /** A view of each projection's rows of {@code stacked}, in stacking order. */
    private static void putViews(NDArray stacked, ModelConfig c, List<Projection> group,
                                 Map<Projection, NDArray> views) {
        long from = 0;
        for (Projection p : group) {
            long to = from + p.weightShape(c)[0];
            views.put(p, stacked.get(new ai.djl.ndarray.index.NDIndex("{}:{}", from, to)));
            from = to;
        }
    }

    /**
     * A new stack of {@code group} from {@code w} in {@code manager}, the views put back into {@code w}; the
     * arrays of {@code replaced} that went into it are closed (the stack holds their values now).
     */
    private static NDArray restack(NDManager manager, ModelConfig c, List<Projection> group,
                                   Map<Projection, NDArray> w, Map<Projection, NDArray> replaced) {
        ai.djl.ndarray.NDList parts = new ai.djl.ndarray.NDList();
        group.forEach(p -> parts.add(w.get(p)));
        NDArray stacked = ai.djl.ndarray.NDArrays.concat(parts, 0);
        stacked.attach(manager);
        for (Projection p : group) {
            NDArray mine = replaced.get(p);
            if (mine != null) {
                mine.close();
            }
        }
        putViews(stacked, c, group, w);
        return stacked;
    }

    /**
     * A copy whose projections are replaced, e.g. by weights with a LoRA merged in; embeddings are shared, and so
     * are the stacks none of whose projections is replaced. A stack with a replaced projection is built anew in
     * {@code newManager}, and the replacing arrays that went into it are closed, so that no value is held twice.
     */
    public LlamaWeights withProjections(List<Map<Projection, NDArray>> replaced, NDManager newManager) {
        List<Layer> copy = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Map<Projection, NDArray> mine = replaced.get(i);
            Map<Projection, NDArray> w = new EnumMap<>(l.weight());
            w.putAll(mine);
            NDArray qkv = QKV.stream().anyMatch(mine::containsKey) ? restack(newManager, config, QKV, w, mine)
                    : l.qkv();
            NDArray gateUp = GATE_UP.stream().anyMatch(mine::containsKey)
                    ? restack(newManager, config, GATE_UP, w, mine) : l.gateUp();
            copy.add(new Layer(l.inputNorm(), l.postNorm(), w, l.bias(), qkv, l.qkvBias(), gateUp));
        }
        return new LlamaWeights(config, newManager, embed, List.copyOf(copy), finalNorm, lmHead);
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    public NDArray embed() {
        return embed;
    }

    public List<Layer> layers() {
        return layers;
    }

    public NDArray finalNorm() {
        return finalNorm;
    }

    /** [vocab, hidden]; the embedding itself when tied. */
    public NDArray lmHead() {
        return lmHead;
    }

    /**
     * Every distinct array by its Hugging Face name, in checkpoint order; a tied head is listed once, as the
     * embedding. Trainers set gradients on these; {@link #toTensors()} saves them.
     */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new java.util.LinkedHashMap<>();
        out.put("model.embed_tokens.weight", embed);
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String p = "model.layers." + i + ".";
            out.put(p + "input_layernorm.weight", l.inputNorm());
            for (Projection proj : Projection.values()) {
                out.put(proj.path(i) + ".weight", l.weight().get(proj));
                NDArray b = l.bias().get(proj);
                if (b != null) {
                    out.put(proj.path(i) + ".bias", b);
                }
            }
            out.put(p + "post_attention_layernorm.weight", l.postNorm());
        }
        out.put("model.norm.weight", finalNorm);
        if (!config.tieWordEmbeddings()) {
            out.put("lm_head.weight", lmHead);
        }
        return out;
    }

    /** Host copies of {@link #parameters()}, ready for {@code SafetensorsWriter} as model.safetensors. */
    public Map<String, Tensor> toTensors() {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        parameters().forEach((name, a) -> out.put(name, new Tensor(a.getShape().getShape(), a.toFloatArray())));
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}

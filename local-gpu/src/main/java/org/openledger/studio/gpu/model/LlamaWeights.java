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
 */
public final class LlamaWeights implements AutoCloseable {

    /** One decoder block. */
    public record Layer(NDArray inputNorm, NDArray postNorm, Map<Projection, NDArray> weight,
                        Map<Projection, NDArray> bias) {
    }

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
            for (Projection proj : Projection.values()) {
                long[] shape = proj.weightShape(c);
                w.put(proj, upload(manager, source, proj.path(i) + ".weight", shape));
                if (proj.hasBias(c)) {
                    b.put(proj, upload(manager, source, proj.path(i) + ".bias", shape[0]));
                }
            }
            layers.add(new Layer(upload(manager, source, p + "input_layernorm.weight", d),
                    upload(manager, source, p + "post_attention_layernorm.weight", d), w, b));
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
        if (!source.contains(name)) {
            throw new InvalidModelException("the checkpoint has no tensor '" + name + "' that config.json calls for");
        }
        Tensor t = source.read(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new InvalidModelException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but config.json implies " + Arrays.toString(shape));
        }
        return EngineArrays.owned(m, t.values(), new Shape(shape));
    }

    /** A copy whose projections are replaced, e.g. by weights with a LoRA merged in; embeddings are shared. */
    public LlamaWeights withProjections(List<Map<Projection, NDArray>> replaced, NDManager newManager) {
        List<Layer> copy = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Map<Projection, NDArray> w = new EnumMap<>(l.weight());
            w.putAll(replaced.get(i));
            copy.add(new Layer(l.inputNorm(), l.postNorm(), w, l.bias()));
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

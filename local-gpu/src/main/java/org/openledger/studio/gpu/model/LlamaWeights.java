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
 * A model's weights on a device. Projection matrices are kept as transposed views ([in, out], sharing the
 * storage of the [out, in] tensor, as nn.Linear does) so that the forward pass
 * is {@code x.matMul(w)} without a transpose per call. Every array belongs to {@link #manager()}.
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
                w.put(proj, upload(manager, source, proj.path(i) + ".weight", shape).transpose());
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
            head = embed.transpose();
        } else {
            head = upload(manager, source, "lm_head.weight", c.vocabSize(), d).transpose();
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
        return m.create(t.values(), new Shape(shape));
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

    /** [hidden, vocab] */
    public NDArray lmHead() {
        return lmHead;
    }

    @Override
    public void close() {
        manager.close();
    }
}

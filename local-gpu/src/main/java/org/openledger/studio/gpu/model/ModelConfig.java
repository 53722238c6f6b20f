package org.openledger.studio.gpu.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The architecture of a Llama-family decoder, read from a Hugging Face {@code config.json}. Qwen2 differs from
 * Llama only by biases on the q/k/v projections; Llama's {@code attention_bias} puts biases on q/k/v and o.
 */
public record ModelConfig(
        String modelType,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        int vocabSize,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        List<Integer> bosTokenIds,
        List<Integer> eosTokenIds,
        RopeScaling ropeScaling) {

    public static final String FILE = "config.json";
    private static final Set<String> FAMILY = Set.of("llama", "qwen2", "mistral");
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        bosTokenIds = List.copyOf(bosTokenIds);
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** A Llama config with the usual defaults; handy for small models built here. */
    public static ModelConfig llama(int hidden, int intermediate, int layers, int heads, int kvHeads, int vocab,
                                    int maxPositions) {
        return new ModelConfig("llama", hidden, intermediate, layers, heads, kvHeads, hidden / heads, 1e-5,
                10000.0, vocab, maxPositions, false, false, false, List.of(), List.of(), null);
    }

    public ModelConfig withTiedEmbeddings(boolean tied) {
        return new ModelConfig(modelType, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                rmsNormEps, ropeTheta, vocabSize, maxPositionEmbeddings, tied, qkvBias, outputBias, bosTokenIds,
                eosTokenIds, ropeScaling);
    }

    public ModelConfig withBiases(boolean qkv, boolean output) {
        return new ModelConfig(modelType, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                rmsNormEps, ropeTheta, vocabSize, maxPositionEmbeddings, tieWordEmbeddings, qkv, output,
                bosTokenIds, eosTokenIds, ropeScaling);
    }

    public ModelConfig withSpecialTokens(List<Integer> bos, List<Integer> eos) {
        return new ModelConfig(modelType, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                rmsNormEps, ropeTheta, vocabSize, maxPositionEmbeddings, tieWordEmbeddings, qkvBias, outputBias,
                bos, eos, ropeScaling);
    }

    /** This config with {@code rope_scaling} (null for none). */
    public ModelConfig withRopeScaling(RopeScaling scaling) {
        return new ModelConfig(modelType, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                rmsNormEps, ropeTheta, vocabSize, maxPositionEmbeddings, tieWordEmbeddings, qkvBias, outputBias,
                bosTokenIds, eosTokenIds, scaling);
    }

    /**
     * RoPE's inverse frequency of each rotated pair: {@code 1 / theta^(2i / head_dim)} as Hugging Face computes it,
     * then {@code rope_scaling} where the config has one.
     */
    public double[] inverseFrequencies() {
        double[] f = new double[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = 1.0 / Math.pow(ropeTheta, (2.0 * i) / headDim);
        }
        return ropeScaling == null ? f : ropeScaling.apply(f);
    }

    public static ModelConfig read(Path modelDir) throws InvalidModelException {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(modelDir + " has no " + FILE + "; a base model folder needs config.json,"
                    + " model.safetensors (or a sharded index) and tokenizer.json");
        }
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidModelException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new InvalidModelException(file + " is not a JSON object");
        }
        return parse(n, file.toString());
    }

    static ModelConfig parse(JsonNode n, String where) throws InvalidModelException {
        String type = n.path("model_type").asText("llama");
        if (!FAMILY.contains(type)) {
            throw new InvalidModelException(where + ": model_type '" + type + "' is not supported; this runtime runs "
                    + FAMILY + " models");
        }
        RopeScaling scaling = RopeScaling.parse(n.get("rope_scaling"), where);
        if (n.path("mlp_bias").asBoolean(false)) {
            throw new InvalidModelException(where + ": mlp_bias=true is not supported");
        }
        int hidden = positive(n, "hidden_size", where);
        int heads = positive(n, "num_attention_heads", where);
        int kvHeads = n.has("num_key_value_heads") && !n.get("num_key_value_heads").isNull()
                ? positive(n, "num_key_value_heads", where) : heads;
        int headDim = n.has("head_dim") && !n.get("head_dim").isNull() ? positive(n, "head_dim", where) : 0;
        if (headDim == 0) {
            if (hidden % heads != 0) {
                throw new InvalidModelException(where + ": hidden_size " + hidden + " is not divisible by "
                        + "num_attention_heads " + heads);
            }
            headDim = hidden / heads;
        }
        boolean qwen = type.equals("qwen2");
        boolean attentionBias = n.path("attention_bias").asBoolean(false);
        ModelConfig c = new ModelConfig(type, hidden,
                positive(n, "intermediate_size", where),
                positive(n, "num_hidden_layers", where),
                heads, kvHeads, headDim,
                positiveDouble(n, "rms_norm_eps", 1e-6, where),
                positiveDouble(n, "rope_theta", 10000.0, where),
                positive(n, "vocab_size", where),
                context(n, where),
                n.path("tie_word_embeddings").asBoolean(false),
                qwen || attentionBias,
                !qwen && attentionBias,
                ids(n.get("bos_token_id")), ids(n.get("eos_token_id")), scaling);
        c.validate(where);
        return c;
    }

    void validate(String where) throws InvalidModelException {
        if (numHeads % numKvHeads != 0) {
            throw new InvalidModelException(where + ": num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim % 2 != 0) {
            throw new InvalidModelException(where + ": head dimension " + headDim + " must be even for RoPE");
        }
        for (int id : eosTokenIds) {
            if (id < 0 || id >= vocabSize) {
                throw new InvalidModelException(where + ": eos_token_id " + id + " is outside the vocabulary of "
                        + vocabSize);
            }
        }
    }

    /**
     * max_position_embeddings, capped at a sliding window where one applies (Mistral; Qwen2 only with
     * use_sliding_window): within the window, sliding attention equals the full attention computed here.
     */
    private static int context(JsonNode n, String where) throws InvalidModelException {
        int context = n.has("max_position_embeddings") ? positive(n, "max_position_embeddings", where) : 2048;
        JsonNode window = n.get("sliding_window");
        boolean sliding = n.path("use_sliding_window").asBoolean(!n.path("model_type").asText().equals("qwen2"));
        if (sliding && window != null && window.isIntegralNumber() && window.asInt() > 0) {
            context = Math.min(context, window.asInt());
        }
        return context;
    }

    private static int positive(JsonNode n, String key, String where) throws InvalidModelException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new InvalidModelException(where + ": " + key + " is missing");
        }
        if (!v.isIntegralNumber() || v.asLong() <= 0 || v.asLong() > Integer.MAX_VALUE) {
            throw new InvalidModelException(where + ": " + key + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }

    private static double positiveDouble(JsonNode n, String key, double fallback, String where)
            throws InvalidModelException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber() || !(v.asDouble() > 0)) {
            throw new InvalidModelException(where + ": " + key + " must be a positive number, got " + v);
        }
        return v.asDouble();
    }

    private static List<Integer> ids(JsonNode v) {
        List<Integer> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(x -> out.add(x.asInt()));
        } else if (v.isIntegralNumber()) {
            out.add(v.asInt());
        }
        return out;
    }

    public void write(Path modelDir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add(modelType.equals("qwen2") ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
        n.put("model_type", modelType);
        n.put("hidden_size", hiddenSize);
        n.put("intermediate_size", intermediateSize);
        n.put("num_hidden_layers", numLayers);
        n.put("num_attention_heads", numHeads);
        n.put("num_key_value_heads", numKvHeads);
        if (headDim != hiddenSize / numHeads) {
            n.put("head_dim", headDim);
        }
        n.put("rms_norm_eps", rmsNormEps);
        n.put("rope_theta", ropeTheta);
        n.put("vocab_size", vocabSize);
        n.put("max_position_embeddings", maxPositionEmbeddings);
        if (ropeScaling != null) {
            ropeScaling.write(n);
        }
        n.put("tie_word_embeddings", tieWordEmbeddings);
        if (!modelType.equals("qwen2")) {
            n.put("attention_bias", qkvBias);
        }
        n.put("hidden_act", "silu");
        n.put("torch_dtype", "float32");
        if (bosTokenIds.size() == 1) {
            n.put("bos_token_id", bosTokenIds.get(0));
        }
        if (eosTokenIds.size() == 1) {
            n.put("eos_token_id", eosTokenIds.get(0));
        } else if (!eosTokenIds.isEmpty()) {
            eosTokenIds.forEach(n.withArray("eos_token_id")::add);
        }
        Files.createDirectories(modelDir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(modelDir.resolve(FILE).toFile(), n);
    }

    /** Parameters counted from the shapes (embedding and head counted once when tied). */
    public long parameterCount() {
        long d = hiddenSize;
        long q = (long) numHeads * headDim;
        long kv = (long) numKvHeads * headDim;
        long attn = d * q + 2 * d * kv + q * d + (qkvBias ? q + 2 * kv : 0) + (outputBias ? d : 0);
        long mlp = 3L * d * intermediateSize;
        long layer = attn + mlp + 2 * d;
        long embed = (long) vocabSize * d;
        return embed * (tieWordEmbeddings ? 1 : 2) + numLayers * layer + d;
    }
}

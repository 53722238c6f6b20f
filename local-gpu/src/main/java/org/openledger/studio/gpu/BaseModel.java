package org.openledger.studio.gpu;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.device.InsufficientMemoryException;
import org.openledger.studio.gpu.device.MemoryPlan;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterMismatchException;
import org.openledger.studio.gpu.lora.AdapterWeights;
import org.openledger.studio.gpu.model.InvalidModelException;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.safetensors.Checkpoint;
import org.openledger.studio.gpu.tokenizer.ChatTemplate;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/**
 * A Llama-family model in Hugging Face layout, loaded onto one device: config, weights, tokenizer and chat
 * template. Loading checks the memory plan first, so a model that will not fit is refused before any weight is
 * read.
 */
public final class BaseModel implements AutoCloseable {

    private final String id;
    private final Path folder;
    private final ComputeDevice device;
    private final MemoryPlan plan;
    private final Transformer transformer;
    private final TextTokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final boolean ownsTokenizer;

    private BaseModel(String id, Path folder, ComputeDevice device, MemoryPlan plan, Transformer transformer,
                      TextTokenizer tokenizer, ChatTemplate chatTemplate, boolean ownsTokenizer) {
        this.ownsTokenizer = ownsTokenizer;
        this.id = id;
        this.folder = folder;
        this.device = device;
        this.plan = plan;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
    }

    /** Default serving limits: 8 rows, and the model's context up to 4096 tokens. */
    public static final int DEFAULT_BATCH = 8;
    public static final int DEFAULT_CONTEXT_CAP = 4096;

    /** Loads with room planned for {@value #DEFAULT_BATCH} rows of min(context, 4096) tokens. */
    public static BaseModel load(Path folder, ComputeDevice device) throws IOException, InsufficientMemoryException {
        return load(folder, device, DEFAULT_BATCH, DEFAULT_CONTEXT_CAP);
    }

    /**
     * @param maxBatch   rows generated together that the memory plan must hold
     * @param maxContext tokens per row (prompt + completion) served; capped at the model's own context. Requests
     *                   beyond it are refused by the generator, so the plan is a promise kept.
     */
    public static BaseModel load(Path folder, ComputeDevice device, int maxBatch, int maxContext)
            throws IOException, InsufficientMemoryException {
        if (!Files.isDirectory(folder)) {
            throw new InvalidModelException(folder + " is not a folder; a base model is a folder with config.json,"
                    + " model.safetensors and tokenizer.json");
        }
        ModelConfig config = ModelConfig.read(folder);
        if (maxBatch < 1 || maxContext < 1) {
            throw new IllegalArgumentException("maxBatch and maxContext must be positive");
        }
        MemoryPlan plan = MemoryPlan.of(config, maxBatch, Math.min(maxContext, config.maxPositionEmbeddings()));
        plan.check(device);
        TextTokenizer tokenizer = Files.isRegularFile(folder.resolve(TextTokenizer.FILE))
                ? TextTokenizer.load(folder) : null;
        NDManager manager = NDManager.newBaseManager(device.djl());
        try (Checkpoint checkpoint = Checkpoint.open(folder)) {
            LlamaWeights weights = LlamaWeights.load(config, LlamaWeights.sourceOf(checkpoint), manager);
            ChatTemplate template = ChatTemplate.read(folder).orElse(null);
            String id = folder.toAbsolutePath().normalize().getFileName().toString();
            return new BaseModel(id, folder, device, plan, new Transformer(weights), tokenizer, template, true);
        } catch (IOException | RuntimeException e) {
            manager.close();
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw e;
        }
    }

    /** The folder name, which clients use as the model id. */
    public String id() {
        return id;
    }

    public Path folder() {
        return folder;
    }

    public ModelConfig config() {
        return transformer.config();
    }

    public ComputeDevice device() {
        return device;
    }

    /** Tokens per row this model serves: its own context, capped by the memory plan. */
    public int context() {
        return plan.context();
    }

    public MemoryPlan memoryPlan() {
        return plan;
    }

    public Transformer transformer() {
        return transformer;
    }

    public Optional<TextTokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** The tokenizer, or a clear error for callers that were given text. */
    public TextTokenizer requireTokenizer() throws InvalidModelException {
        if (tokenizer == null) {
            throw new InvalidModelException("model '" + id + "' has no tokenizer.json; send token ids instead of text");
        }
        return tokenizer;
    }

    /** The template from tokenizer_config.json, if the model has one. */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /**
     * Checks an adapter against this model and uploads it for unmerged, per-request use. The caller closes it
     * (or closes this model, which frees it too).
     */
    public AdapterWeights upload(Adapter adapter) throws AdapterMismatchException {
        return AdapterWeights.upload(adapter, id, transformer.weights());
    }

    /**
     * A copy of this model with the adapter merged into the weights (W + s·B·A), for serving one adapter at
     * base-model speed. It shares this model's embeddings, tokenizer and template; closing it frees only the
     * merged projections. Its id is {@code <base>+<adapter>}.
     */
    public BaseModel merge(Adapter adapter) throws AdapterMismatchException {
        try (AdapterWeights uploaded = upload(adapter)) {
            LlamaWeights merged = uploaded.mergeInto(transformer.weights());
            return new BaseModel(id + "+" + adapter.id(), folder, device, plan, new Transformer(merged), tokenizer,
                    chatTemplate, false);
        }
    }

    @Override
    public void close() {
        transformer.weights().close();
        if (tokenizer != null && ownsTokenizer) {
            tokenizer.close();
        }
    }
}

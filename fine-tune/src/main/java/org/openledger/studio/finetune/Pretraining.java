package org.openledger.studio.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.safetensors.DType;
import org.openledger.studio.gpu.safetensors.SafetensorsWriter;
import org.openledger.studio.gpu.tokenizer.BpeTrainer;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;
import org.openledger.studio.store.Folders;

/**
 * Pretrains a small Llama-family model from plain text: a byte-level BPE tokenizer learned on the training
 * split, documents packed into one token stream (each opened by {@code <|endoftext|>}), next-token training of
 * every weight, and the result written in Hugging Face layout (config.json, model.safetensors, tokenizer.json,
 * tokenizer_config.json with a chat template). Checkpoints go to {@code OUT/checkpoints} while it runs, so an
 * interrupted run started again with the same options resumes; they are removed when it finishes.
 */
public final class Pretraining {

    public static final String END_OF_TEXT = "<|endoftext|>";
    /** Role-prefixed lines, the shape of text a base model can continue; the assistant's turn is left open. */
    static final String CHAT_TEMPLATE = "{% for message in messages %}{{ message['role'] | capitalize }}: "
            + "{{ message['content'] | trim }}\n{% endfor %}{% if add_generation_prompt %}Assistant:{% endif %}";

    public record Options(int vocabSize, int layers, int hidden, int heads, int context, int steps, int batchSize,
                          double learningRate, long seed, int validationEvery, DType dtype) {
        public Options {
            if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
                throw new IllegalArgumentException("hidden size " + hidden + " must split into " + heads
                        + " heads of an even size");
            }
            if (layers < 1 || context < 2 || steps < 1 || batchSize < 1) {
                throw new IllegalArgumentException("layers, context, steps and batch size must be positive");
            }
        }

        public ModelConfig modelConfig() {
            int intermediate = (int) Math.round(hidden * 8.0 / 3 / 64) * 64; // SwiGLU's 2/3 of 4d, rounded
            return ModelConfig.llama(hidden, intermediate, layers, heads, heads, vocabSize, context)
                    .withTiedEmbeddings(true).withSpecialTokens(List.of(0), List.of(0));
        }
    }

    public record Report(Path out, ModelConfig config, long parameters, int trainTokens, int validationTokens,
                         Trainer.Result result) {
    }

    private final Consumer<String> log;

    public Pretraining(Consumer<String> log) {
        this.log = log;
    }

    public Report run(Path corpusDir, Path out, Options o, TrainingListener listener, BooleanSupplier cancelled)
            throws IOException {
        Corpus corpus = Corpus.read(corpusDir, o.validationEvery());
        log.accept("corpus: " + corpus.train().size() + " training and " + corpus.validation().size()
                + " validation documents, " + corpus.characters() + " characters");
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        BpeTrainer bpe = new BpeTrainer(o.vocabSize(), List.of(END_OF_TEXT));
        BpeTrainer.Result vocab = bpe.train(corpus.train().stream().map(Corpus.Document::text).toList());
        bpe.write(vocab, out.resolve(TextTokenizer.FILE));
        log.accept(String.format("tokenizer: %d tokens, %d merges in %.1f s", vocab.vocab().size(),
                vocab.merges().size(), (System.nanoTime() - t0) / 1e9));
        ModelConfig config = o.modelConfig();
        int[] train;
        int[] validation;
        try (TextTokenizer tokenizer = TextTokenizer.load(out)) {
            train = pack(tokenizer, corpus.train());
            validation = pack(tokenizer, corpus.validation());
        }
        log.accept("tokens: " + train.length + " training, " + validation.length + " validation; model: "
                + config.parameterCount() + " parameters");
        TrainingConfig tc = TrainingConfig.defaults(o.steps(), o.batchSize(), o.context(), o.learningRate(), o.seed())
                .withEvaluation(Math.max(1, o.steps() / 10), 4);
        Path checkpoints = out.resolve("checkpoints");
        Trainer.Result result;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             LlamaWeights weights = LlamaWeights.load(config,
                     LlamaWeights.sourceOf(ModelInit.random(config, o.seed())), manager.newSubManager())) {
            Trainer trainer = new Trainer(new Transformer(weights), Trainable.allWeights(weights), tc,
                    new TokenWindows(train, validation));
            result = trainer.run(checkpoints, listener, cancelled);
            config.write(out);
            SafetensorsWriter.write(out.resolve("model.safetensors"), weights.toTensors(), o.dtype(),
                    Map.of("format", "pt"));
        }
        writeTokenizerConfig(out, o.context());
        Folders.deleteTree(checkpoints);
        return new Report(out, config, config.parameterCount(), train.length, validation.length, result);
    }

    /** Each document opened by end-of-text, as GPT-2 packs them, so the model learns where texts start and end. */
    static int[] pack(TextTokenizer tokenizer, List<Corpus.Document> docs) {
        int n = 0;
        long[][] encoded = new long[docs.size()][];
        for (int i = 0; i < docs.size(); i++) {
            encoded[i] = tokenizer.encode(docs.get(i).text());
            n += encoded[i].length + 1;
        }
        int[] out = new int[n];
        int k = 0;
        for (long[] ids : encoded) {
            out[k++] = 0;
            for (long id : ids) {
                out[k++] = (int) id;
            }
        }
        return out;
    }

    static void writeTokenizerConfig(Path out, int context) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        n.put("tokenizer_class", "PreTrainedTokenizerFast");
        n.put("bos_token", END_OF_TEXT);
        n.put("eos_token", END_OF_TEXT);
        n.put("unk_token", END_OF_TEXT);
        n.put("model_max_length", context);
        n.put("add_bos_token", false);
        n.put("chat_template", CHAT_TEMPLATE);
        json.writerWithDefaultPrettyPrinter().writeValue(out.resolve("tokenizer_config.json").toFile(), n);
    }
}

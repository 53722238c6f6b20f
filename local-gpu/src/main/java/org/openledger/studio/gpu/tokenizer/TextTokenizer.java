package org.openledger.studio.gpu.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openledger.studio.gpu.model.InvalidModelException;

/**
 * A model's {@code tokenizer.json}, run by Hugging Face tokenizers through DJL. Truncation is always off: DJL
 * otherwise cuts every input at 512 tokens without saying so, and a prompt that is too long must be refused
 * by the caller with a message instead.
 */
public final class TextTokenizer implements AutoCloseable {

    public static final String FILE = "tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;

    private TextTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static TextTokenizer load(Path modelDir) throws InvalidModelException {
        Path file = Files.isDirectory(modelDir) ? modelDir.resolve(FILE) : modelDir;
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(modelDir + " has no " + FILE + "; the model cannot read or write text "
                    + "without it (token-id prompts still work)");
        }
        try {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(file, Map.of(
                    "truncation", "false", "padding", "false", "addSpecialTokens", "false")));
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(file + " is not a tokenizer Hugging Face tokenizers can load: "
                    + e.getMessage(), e);
        }
    }

    /** Token ids of the text, without adding special tokens (chat templates and callers add their own). */
    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /**
     * Token ids with the tokenizer's own special tokens added where its post-processor says so (Llama's BOS),
     * as plain completions expect; chat templates write their special tokens themselves, so use
     * {@link #encode(String)} for rendered conversations.
     */
    public long[] encodeWithSpecialTokens(String text) {
        return tokenizer.encode(text, true, false).getIds();
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    /** The text of a single token, as shown beside its probability. */
    public String tokenText(long id) {
        return tokenizer.decode(new long[] {id}, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

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
        checkShape(file);
        try {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(file, Map.of(
                    "truncation", "false", "padding", "false", "addSpecialTokens", "false")));
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(file + " is not a tokenizer Hugging Face tokenizers can load: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Checks in Java what the native library would otherwise meet first: a Rust panic there (its decoder reader
     * panics on some malformed JSON, found by fuzzing) aborts the whole JVM instead of failing the load. So the file
     * must be strict JSON, an object, and each pipeline part null or an object naming its {@code type}, with the
     * parts of a {@code Sequence} the same.
     */
    private static void checkShape(Path file) throws InvalidModelException {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidModelException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidModelException(file + " is not a JSON object");
        }
        if (!root.path("model").isObject()) {
            throw new InvalidModelException(file + " has no \"model\" object");
        }
        for (String part : new String[] {"normalizer", "pre_tokenizer", "post_processor", "decoder"}) {
            checkPart(file, part, root.get(part), 0);
        }
    }

    private static void checkPart(Path file, String where, com.fasterxml.jackson.databind.JsonNode part, int depth)
            throws InvalidModelException {
        if (part == null || part.isNull()) {
            return;
        }
        if (!part.isObject() || !part.path("type").isTextual() || depth > 16) {
            throw new InvalidModelException(file + ": " + where + " must be null or an object with a \"type\"");
        }
        for (String list : new String[] {"normalizers", "pretokenizers", "processors", "decoders"}) {
            com.fasterxml.jackson.databind.JsonNode items = part.get(list);
            if (items == null) {
                continue;
            }
            if (!items.isArray()) {
                throw new InvalidModelException(file + ": " + where + "." + list + " must be a list");
            }
            for (int i = 0; i < items.size(); i++) {
                checkPart(file, where + "." + list + "[" + i + "]", items.get(i), depth + 1);
            }
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

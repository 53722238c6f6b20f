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
        checkValues(file, root, 0);
        if (!root.path("model").isObject()) {
            throw new InvalidModelException(file + " has no \"model\" object");
        }
        for (String part : new String[] {"normalizer", "pre_tokenizer", "post_processor", "decoder"}) {
            checkPart(file, part, root.get(part), 0);
        }
        checkBpeMerges(file, root.path("model"));
        checkUnknownToken(file, root.path("model"));
        checkAddedTokens(file, root.get("added_tokens"));
    }

    /** The longest added token taken: special tokens are a few dozen characters. */
    static final int MAX_ADDED_TOKEN_CHARS = 1024;

    /**
     * Added tokens must be short: the native reader splits each one's text with the model when it builds the
     * tokenizer, in time that grows faster than the text (found by fuzzing: one of 100,000 characters held the load
     * for minutes, 20,000 for more than 8 s, in native code nothing can interrupt).
     */
    private static void checkAddedTokens(Path file, com.fasterxml.jackson.databind.JsonNode added)
            throws InvalidModelException {
        if (added == null || !added.isArray()) {
            return;
        }
        for (com.fasterxml.jackson.databind.JsonNode t : added) {
            String content = t.path("content").asText("");
            if (content.length() > MAX_ADDED_TOKEN_CHARS) {
                throw new InvalidModelException(file + ": added token " + t.path("id").asText("?") + " is "
                        + content.length() + " characters long; at most " + MAX_ADDED_TOKEN_CHARS + " are read");
            }
        }
    }

    /** serde_json's own nesting limit (128); the native reader's limits apply to the whole file. */
    private static final int MAX_DEPTH = 100;

    /**
     * What Jackson reads but serde_json, under the native reader, refuses: numbers beyond a double's range, lone
     * UTF-16 surrogates (from {@code \\ud800} escapes), nesting past its limit. Inside some sections (the decoder)
     * the native reader unwraps that refusal and panics, which aborts the JVM (found by fuzzing: a 400-digit number
     * in the decoder), so the whole file is checked here.
     */
    private static void checkValues(Path file, com.fasterxml.jackson.databind.JsonNode node, int depth)
            throws InvalidModelException {
        if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
            throw new InvalidModelException(file + " has a number beyond the range of a double: "
                    + node.asText().substring(0, Math.min(40, node.asText().length())) + "...");
        }
        if (node.isTextual()) {
            checkText(file, node.asText());
        }
        if (!node.isContainerNode()) {
            return;
        }
        if (depth >= MAX_DEPTH) {
            throw new InvalidModelException(file + " nests deeper than " + MAX_DEPTH + " levels");
        }
        for (java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it =
             node.fields(); it.hasNext(); ) {
            checkText(file, it.next().getKey());
        }
        for (com.fasterxml.jackson.databind.JsonNode child : node) {
            checkValues(file, child, depth + 1);
        }
    }

    private static void checkText(Path file, String text) throws InvalidModelException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidModelException(file + " has a lone UTF-16 surrogate (\\u"
                        + Integer.toHexString(c) + ") in a string; that is no Unicode text");
            }
        }
    }

    /**
     * A BPE model with a {@code continuing_subword_prefix} builds each merge's token as {@code a + b[prefix.len..]}
     * in the native library, slicing {@code b} at the prefix's byte length: a second part shorter than the prefix,
     * or one where that byte falls inside a character, panics there (found by fuzzing: prefix "ByteLevel", merge
     * "h e") and aborts the JVM. Such a merge is refused here, naming it.
     */
    private static void checkBpeMerges(Path file, com.fasterxml.jackson.databind.JsonNode model)
            throws InvalidModelException {
        String type = model.path("type").asText("BPE");
        com.fasterxml.jackson.databind.JsonNode prefix = model.get("continuing_subword_prefix");
        com.fasterxml.jackson.databind.JsonNode merges = model.get("merges");
        if (!"BPE".equals(type) || prefix == null || !prefix.isTextual() || merges == null || !merges.isArray()) {
            return; // anything else the native reader refuses with an error of its own, or never slices
        }
        int prefixBytes = prefix.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        for (int i = 0; i < merges.size(); i++) {
            com.fasterxml.jackson.databind.JsonNode m = merges.get(i);
            String second;
            if (m.isTextual()) {
                String[] parts = m.asText().split(" ", -1);
                if (parts.length != 2) {
                    continue; // "bad merges" in the native reader, an error
                }
                second = parts[1];
            } else if (m.isArray() && m.size() == 2 && m.get(1).isTextual()) {
                second = m.get(1).asText();
            } else {
                continue;
            }
            byte[] b = second.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (b.length < prefixBytes || b.length > prefixBytes && (b[prefixBytes] & 0xC0) == 0x80) {
                throw new InvalidModelException(file + ": merge " + (i + 1) + " (" + m + ") has a second part that"
                        + " does not begin with a whole continuing_subword_prefix (" + prefix + ")");
            }
        }
    }

    /**
     * The model's unknown token must be one of its own: BPE, WordPiece and WordLevel name it ({@code unk_token},
     * looked up in {@code vocab} only when a piece is unknown, so a bad one loads and then fails the first text
     * with such a piece: found by fuzzing), Unigram gives its index ({@code unk_id}, into {@code vocab}).
     */
    private static void checkUnknownToken(Path file, com.fasterxml.jackson.databind.JsonNode model)
            throws InvalidModelException {
        String type = model.path("type").asText("BPE");
        com.fasterxml.jackson.databind.JsonNode vocab = model.get("vocab");
        if ("Unigram".equals(type)) {
            com.fasterxml.jackson.databind.JsonNode id = model.get("unk_id");
            if (id != null && !id.isNull() && vocab != null && vocab.isArray()
                    && !(id.canConvertToInt() && id.asInt() >= 0 && id.asInt() < vocab.size())) {
                throw new InvalidModelException(file + ": the model's unk_id " + id + " is not an index into its "
                        + vocab.size() + " vocabulary entries");
            }
            return;
        }
        com.fasterxml.jackson.databind.JsonNode unk = model.get("unk_token");
        if (unk != null && unk.isTextual() && vocab != null && vocab.isObject() && !vocab.has(unk.asText())) {
            throw new InvalidModelException(file + ": the model's unk_token " + unk + " is not in its vocabulary");
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

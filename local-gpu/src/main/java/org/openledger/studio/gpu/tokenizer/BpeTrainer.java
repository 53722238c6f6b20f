package org.openledger.studio.gpu.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a byte-level BPE tokenizer (the GPT-2 scheme) and writes it as a Hugging Face {@code tokenizer.json}
 * that DJL's tokenizers load. Words are split with GPT-2's pre-tokenizer pattern, spelled in the byte alphabet,
 * and the most frequent adjacent pair is merged until the vocabulary is full (Sennrich et al. 2016).
 */
public final class BpeTrainer {

    /** GPT-2's pre-tokenization pattern, the one the ByteLevel pre-tokenizer applies with use_regex=true. */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private final int vocabSize;
    private final List<String> specialTokens;
    private final ByteLevelAlphabet alphabet = new ByteLevelAlphabet();

    /** @param specialTokens given ids 0, 1, ... in order, e.g. {@code <|endoftext|>} */
    public BpeTrainer(int vocabSize, List<String> specialTokens) {
        if (vocabSize < 256 + specialTokens.size()) {
            throw new IllegalArgumentException("vocabulary must hold the 256 bytes and the special tokens");
        }
        this.vocabSize = vocabSize;
        this.specialTokens = List.copyOf(specialTokens);
    }

    /** The learned vocabulary (token -> id) and merges, in the order they were learned. */
    public record Result(Map<String, Integer> vocab, List<String[]> merges) {
    }

    public Result train(Iterable<String> texts) {
        Map<String, Integer> wordCounts = new HashMap<>();
        for (String text : texts) {
            Matcher m = WORDS.matcher(text);
            while (m.find()) {
                wordCounts.merge(alphabet.spell(m.group().getBytes(StandardCharsets.UTF_8)), 1, Integer::sum);
            }
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : specialTokens) {
            vocab.put(s, vocab.size());
        }
        for (int b = 0; b < 256; b++) {
            vocab.putIfAbsent(String.valueOf(alphabet.charOf(b)), vocab.size());
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        wordCounts.forEach((w, c) -> {
            List<String> symbols = new ArrayList<>();
            w.chars().forEach(ch -> symbols.add(String.valueOf((char) ch)));
            words.add(symbols);
            counts.add(c);
        });
        List<String[]> merges = new ArrayList<>();
        while (vocab.size() < vocabSize) {
            Map<String, Long> pairs = new HashMap<>();
            for (int i = 0; i < words.size(); i++) {
                List<String> w = words.get(i);
                for (int k = 0; k + 1 < w.size(); k++) {
                    pairs.merge(w.get(k) + ' ' + w.get(k + 1), (long) counts.get(i), Long::sum);
                }
            }
            String best = null;
            long bestCount = 1; // a pair seen once teaches nothing
            for (Map.Entry<String, Long> e : pairs.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && best != null
                        && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) {
                break;
            }
            String[] pair = best.split(" ", 2);
            String joined = pair[0] + pair[1];
            merges.add(pair);
            vocab.putIfAbsent(joined, vocab.size());
            for (List<String> w : words) {
                for (int k = 0; k + 1 < w.size(); k++) {
                    if (w.get(k).equals(pair[0]) && w.get(k + 1).equals(pair[1])) {
                        w.set(k, joined);
                        w.remove(k + 1);
                    }
                }
            }
        }
        return new Result(vocab, merges);
    }

    /** Writes {@code tokenizer.json} in the layout of GPT-2's byte-level BPE in Hugging Face tokenizers. */
    public void write(Result result, Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : specialTokens) {
            added.addObject().put("id", result.vocab().get(s)).put("content", s).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putObject("post_processor").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        result.vocab().forEach(vocab::put);
        ArrayNode merges = model.putArray("merges");
        for (String[] m : result.merges()) {
            merges.add(m[0] + " " + m[1]);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        json.writeValue(file.toFile(), root);
    }
}

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
        // symbols are numbered by their first appearance; their text decides ties between equally frequent pairs
        List<String> symbols = new ArrayList<>();
        Map<String, Integer> symbolId = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            String ch = String.valueOf(alphabet.charOf(b));
            vocab.putIfAbsent(ch, vocab.size());
            symbolId.put(ch, symbols.size());
            symbols.add(ch);
        }
        int[][] words = new int[wordCounts.size()][];
        long[] counts = new long[words.length];
        int w = 0;
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            String word = e.getKey();
            words[w] = new int[word.length()];
            for (int k = 0; k < word.length(); k++) {
                words[w][k] = symbolId.get(String.valueOf(word.charAt(k)));
            }
            counts[w++] = e.getValue();
        }
        PairCounts pairs = new PairCounts(symbols);
        for (int i = 0; i < words.length; i++) {
            pairs.addWord(words[i], counts[i], i);
        }
        List<String[]> merges = new ArrayList<>();
        while (vocab.size() < vocabSize) {
            long best = pairs.mostFrequent();
            if (best < 0) {
                break;
            }
            int a = (int) (best >>> 32);
            int b = (int) best;
            String joined = symbols.get(a) + symbols.get(b);
            Integer id = symbolId.get(joined);
            if (id == null) {
                id = symbols.size();
                symbols.add(joined);
                symbolId.put(joined, id);
            }
            merges.add(new String[] {symbols.get(a), symbols.get(b)});
            vocab.putIfAbsent(joined, vocab.size());
            for (int i : pairs.wordsWith(best)) {
                pairs.removeWord(words[i], counts[i]);
                words[i] = merge(words[i], a, b, id);
                pairs.addWord(words[i], counts[i], i);
            }
        }
        return new Result(vocab, merges);
    }

    /** Replaces each non-overlapping (a, b), left to right, by the merged symbol. */
    private static int[] merge(int[] word, int a, int b, int joined) {
        int[] out = new int[word.length];
        int n = 0;
        for (int k = 0; k < word.length; k++) {
            if (k + 1 < word.length && word[k] == a && word[k + 1] == b) {
                out[n++] = joined;
                k++;
            } else {
                out[n++] = word[k];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Counts of adjacent symbol pairs weighted by word frequency, with the words each pair occurs in, kept up to
     * date as words are merged, and a max-heap with lazy deletion to find the most frequent pair quickly.
     * Ties go to the pair whose text "a b" sorts first, so training is deterministic.
     */
    private static final class PairCounts {
        private final List<String> symbols;
        private final Map<Long, Long> count = new HashMap<>();
        private final Map<Long, java.util.Set<Integer>> where = new HashMap<>();
        private final java.util.PriorityQueue<long[]> heap;

        PairCounts(List<String> symbols) {
            this.symbols = symbols;
            this.heap = new java.util.PriorityQueue<>((x, y) -> x[1] != y[1] ? Long.compare(y[1], x[1])
                    : text(x[0]).compareTo(text(y[0])));
        }

        private String text(long pair) {
            return symbols.get((int) (pair >>> 32)) + ' ' + symbols.get((int) pair);
        }

        private static long key(int a, int b) {
            return ((long) a << 32) | (b & 0xffffffffL);
        }

        void addWord(int[] word, long n, int index) {
            for (int k = 0; k + 1 < word.length; k++) {
                long p = key(word[k], word[k + 1]);
                long c = count.merge(p, n, Long::sum);
                where.computeIfAbsent(p, x -> new java.util.HashSet<>()).add(index);
                heap.add(new long[] {p, c});
            }
        }

        void removeWord(int[] word, long n) {
            for (int k = 0; k + 1 < word.length; k++) {
                long p = key(word[k], word[k + 1]);
                long c = count.merge(p, -n, Long::sum);
                if (c > 0) {
                    heap.add(new long[] {p, c});
                }
            }
        }

        /** The most frequent pair seen at least twice (a pair seen once teaches nothing), or -1. */
        long mostFrequent() {
            while (!heap.isEmpty()) {
                long[] top = heap.poll();
                Long current = count.get(top[0]);
                if (current != null && current == top[1]) {
                    return current >= 2 ? top[0] : -1;
                }
            }
            return -1;
        }

        /** A copy: the caller changes the index while walking it. */
        List<Integer> wordsWith(long pair) {
            List<Integer> words = new ArrayList<>(where.getOrDefault(pair, java.util.Set.of()));
            java.util.Collections.sort(words);
            return words;
        }
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

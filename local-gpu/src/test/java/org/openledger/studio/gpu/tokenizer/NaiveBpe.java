package org.openledger.studio.gpu.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The textbook BPE loop (recount every pair after every merge), kept as the reference for the fast trainer. */
final class NaiveBpe {

    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
    private static final ByteLevelAlphabet alphabet = new ByteLevelAlphabet();

    private NaiveBpe() {
    }

    static BpeTrainer.Result train(int vocabSize, List<String> specialTokens, Iterable<String> texts) {
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
        return new BpeTrainer.Result(vocab, merges);
    }

}

package org.openledger.studio.datanet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded set of texts for measuring near-duplicate detection: base texts of 40-159 words from a 5,000-word random
 * vocabulary, each followed by 1-5 copies with random word edits (substitutions, insertions, deletions at a rate drawn
 * from 0 to 12% per copy, which straddles Jaccard 0.8 on 3-word shingles). The labels are not the edits but the exact
 * Jaccard of every pair, computed by {@link NearDuplicateAccuracy}.
 */
public final class LabelledNearDuplicates {

    /** The highest per-word edit rate of a copy. */
    public static final double MAX_EDIT_RATE = 0.12;

    private LabelledNearDuplicates() {
    }

    /** Texts holding exactly {@code copies} edited copies (base texts come on top), reproducible from {@code seed}. */
    public static List<String> generate(int copies, long seed) {
        if (copies < 1) {
            throw new IllegalArgumentException("the labelled set needs at least one edited copy, got " + copies);
        }
        SplittableRandom random = new SplittableRandom(seed);
        String[] vocabulary = new String[5000];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = word(random);
        }
        List<String> texts = new ArrayList<>();
        int made = 0;
        while (made < copies) {
            List<String> words = new ArrayList<>();
            int length = 40 + random.nextInt(120);
            for (int i = 0; i < length; i++) {
                words.add(vocabulary[random.nextInt(vocabulary.length)]);
            }
            texts.add(String.join(" ", words));
            int group = Math.min(1 + random.nextInt(5), copies - made);
            for (int c = 0; c < group; c++) {
                texts.add(String.join(" ", edit(words, random.nextDouble() * MAX_EDIT_RATE, vocabulary, random)));
            }
            made += group;
        }
        return texts;
    }

    private static List<String> edit(List<String> words, double rate, String[] vocabulary, SplittableRandom random) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (random.nextDouble() < rate) {
                switch (random.nextInt(3)) {
                    case 0 -> out.add(vocabulary[random.nextInt(vocabulary.length)]);
                    case 1 -> {
                        out.add(w);
                        out.add(vocabulary[random.nextInt(vocabulary.length)]);
                    }
                    default -> { } // deleted
                }
            } else {
                out.add(w);
            }
        }
        return out;
    }

    private static String word(SplittableRandom random) {
        int len = 3 + random.nextInt(7);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }
}

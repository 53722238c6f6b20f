package org.openledger.studio.datanet.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a JSONL file of synthetic rows: random "sentences" of 40-99 words drawn from a 20,000-word random
 * vocabulary, with 3% exact copies and 3% one-word-changed copies of recent rows. Seeded: the same arguments give
 * the same file.
 */
public final class SyntheticRows {

    private SyntheticRows() {
    }

    public static void write(Path file, int rows, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        String[] vocabulary = new String[20_000];
        for (int i = 0; i < vocabulary.length; i++) {
            StringBuilder w = new StringBuilder();
            int len = 2 + random.nextInt(8);
            for (int k = 0; k < len; k++) {
                w.append((char) ('a' + random.nextInt(26)));
            }
            vocabulary[i] = w.toString();
        }
        List<String> recent = new ArrayList<>();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int r = 0; r < rows; r++) {
                String text;
                int dice = random.nextInt(100);
                if (dice < 3 && !recent.isEmpty()) {
                    text = recent.get(random.nextInt(recent.size())); // exact copy
                } else if (dice < 6 && !recent.isEmpty()) {
                    String[] words = recent.get(random.nextInt(recent.size())).split(" ");
                    words[random.nextInt(words.length)] = vocabulary[random.nextInt(vocabulary.length)];
                    text = String.join(" ", words); // one word changed
                } else {
                    int n = 40 + random.nextInt(60);
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        b.append(i == 0 ? "" : " ").append(vocabulary[random.nextInt(vocabulary.length)]);
                    }
                    text = b.toString();
                }
                if (recent.size() < 1000) {
                    recent.add(text);
                } else {
                    recent.set(random.nextInt(recent.size()), text);
                }
                out.write("{\"text\": \"" + text + "\"}\n");
            }
        }
    }
}

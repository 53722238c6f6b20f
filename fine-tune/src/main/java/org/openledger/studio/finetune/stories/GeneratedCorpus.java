package org.openledger.studio.finetune.stories;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes {@link StoryWriter}'s documents as a pretraining corpus: one {@code .txt} file per document (the unit
 * {@code Corpus} reads, holds out and opens with end-of-text), a thousand to a folder, plus a README that says
 * where the text came from and under which licence.
 */
public final class GeneratedCorpus {

    public record Summary(Path dir, int documents, long characters, long words) {
    }

    private GeneratedCorpus() {
    }

    public static Summary write(Path dir, int documents, long seed) throws IOException {
        if (documents < 1) {
            throw new IllegalArgumentException("the corpus needs at least one document");
        }
        Files.createDirectories(dir);
        StoryWriter writer = new StoryWriter(seed);
        long characters = 0;
        long words = 0;
        for (int i = 0; i < documents; i++) {
            String text = writer.document();
            Path folder = dir.resolve(String.format(Locale.ROOT, "%03d", i / 1000));
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(String.format(Locale.ROOT, "%06d.txt", i)), text + "\n",
                    StandardCharsets.UTF_8);
            characters += text.length();
            words += text.split("\\s+").length;
        }
        Files.writeString(dir.resolve("README"), String.format(Locale.ROOT,
                "%d documents (%d characters, %d words) written by OpenLedger Studio's StoryWriter with seed %d:%n"
                        + "`studio model corpus --out DIR --documents %d --seed %d` writes the same files again.%n"
                        + "The text is generated from the project's own templates and is released under CC0-1.0.%n",
                documents, characters, words, seed, documents, seed), StandardCharsets.UTF_8);
        return new Summary(dir, documents, characters, words);
    }
}

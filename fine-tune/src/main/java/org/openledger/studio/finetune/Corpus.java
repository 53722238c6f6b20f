package org.openledger.studio.finetune;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Plain-text documents for pretraining: every {@code .txt} file under a folder, in path order, one document per
 * file. Every {@code validationEvery}-th document is held out for validation, so both splits draw from all
 * sources and the split never changes between runs.
 */
public record Corpus(List<Document> train, List<Document> validation) {

    public record Document(String name, String text) {
    }

    /** Stage directions in transcribed speeches, e.g. "(Applause.)": not English a model should learn to write. */
    private static final Pattern STAGE_DIRECTIONS = Pattern.compile("\\s*\\((?:Applause|Laughter)[^)]{0,40}\\)");

    public static Corpus read(Path dir, int validationEvery) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt"))
                    .sorted().toList();
        }
        List<Document> train = new ArrayList<>();
        List<Document> validation = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String text = clean(Files.readString(files.get(i), StandardCharsets.UTF_8));
            if (text.isBlank()) {
                continue;
            }
            Document d = new Document(dir.relativize(files.get(i)).toString(), text);
            (validationEvery > 0 && i % validationEvery == validationEvery - 1 ? validation : train).add(d);
        }
        if (train.isEmpty()) {
            throw new IOException(dir + " holds no non-empty .txt file to train on");
        }
        return new Corpus(List.copyOf(train), List.copyOf(validation));
    }

    static String clean(String text) {
        String t = text.replace("\r\n", "\n").replace('\r', '\n');
        return STAGE_DIRECTIONS.matcher(t).replaceAll("").strip();
    }

    public long characters() {
        return Stream.concat(train.stream(), validation.stream()).mapToLong(d -> d.text().length()).sum();
    }
}
